/**
 * Where CBR, VBS and IAM live in each region that offers CBR, so that `OS_REGION_NAME` (or a cloud's `region_name`) is
 * all an operator needs to type. Open Telekom Cloud from its service catalog (cbr-api-notes.md §6; eu-ch2 follows the
 * Swiss cloud's `{service}.eu-ch2.sc.otc.t-systems.com` pattern, IAM at `iam-pub`); Huawei Cloud from the regions of the
 * official Go SDK's CBR client. CBR_ENDPOINT, VBS_ENDPOINT and OS_AUTH_URL still override each.
 */

export interface RegionEndpoints {
  /** CBR v3 origin. */
  cbr: string;
  /** VBS v2 origin. */
  vbs: string;
  /** IAM v3 URL, as OS_AUTH_URL takes it. */
  iam: string;
}

const otc = (region: string, domain = `${region}.otc.t-systems.com`, iamHost = `iam.${domain}`): RegionEndpoints => ({
  cbr: `https://cbr.${domain}`,
  vbs: `https://vbs.${domain}`,
  iam: `https://${iamHost}/v3`,
});

const huawei = (region: string): RegionEndpoints => ({
  cbr: `https://cbr.${region}.myhuaweicloud.com`,
  vbs: `https://vbs.${region}.myhuaweicloud.com`,
  iam: `https://iam.${region}.myhuaweicloud.com/v3`,
});

const HUAWEI_CLOUD_REGIONS = [
  'af-north-1', 'af-south-1', 'ae-ad-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'cn-east-2', 'cn-east-3', 'cn-east-4', 'cn-east-5', 'cn-north-1', 'cn-north-2', 'cn-north-4',
  'cn-north-9', 'cn-north-11', 'cn-north-12', 'cn-south-1', 'cn-south-2', 'cn-south-4', 'cn-southwest-2',
  'cn-southwest-3', 'eu-west-0', 'eu-west-101', 'la-north-2', 'la-south-2', 'me-east-1', 'my-kualalumpur-1',
  'na-mexico-1', 'ru-moscow-1', 'ru-northwest-2', 'sa-brazil-1', 'tr-west-1',
] as const;

export const REGIONS: ReadonlyMap<string, RegionEndpoints> = new Map([
  ['eu-de', otc('eu-de')],
  ['eu-nl', otc('eu-nl')],
  ['eu-ch2', otc('eu-ch2', 'eu-ch2.sc.otc.t-systems.com', 'iam-pub.eu-ch2.sc.otc.t-systems.com')],
  ...HUAWEI_CLOUD_REGIONS.map((region) => [region, huawei(region)] as const),
]);

