import { describe, expect, it } from 'vitest';
import {
  canonicalQueryA,
  canonicalRequestA,
  EMPTY_BODY_SHA256,
  formatSdkDate,
  parseAuthorization,
  parseSdkDate,
  sha256Hex,
  signRequest,
  signRequestB,
  stringToSignA,
  verifySignature,
} from '../../src/upstream/signing';

// Vectors from cbr-api-notes.md §4 (Go SDK signer_test.go, plus the computed Node-style and variant B vectors).
const AK = 'AccessKey';
const SK = 'SecretKey';

describe('SDK-HMAC-SHA256 variant A (Access=)', () => {
  it('reproduces test1 byte for byte: canonical request, string to sign and header', () => {
    const canonical = canonicalRequestA({
      method: 'GET',
      path: '/path',
      query: 'limit=1',
      headers: { 'X-Sdk-Date': '20060102T150405Z', TEST_UNDERSCORE: 'TEST_VALUE' },
      signedHeaders: ['x-sdk-date'],
      payloadHash: EMPTY_BODY_SHA256,
    });
    expect(canonical).toBe(
      'GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(stringToSignA('20060102T150405Z', canonical)).toBe(
      'SDK-HMAC-SHA256\n20060102T150405Z\n85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4',
    );
    const signed = signRequest({
      method: 'GET',
      url: 'https://example.huaweicloud.com/path?limit=1',
      headers: { 'X-Sdk-Date': '20060102T150405Z', TEST_UNDERSCORE: 'TEST_VALUE' },
      signedHeaders: ['x-sdk-date'],
      accessKey: AK,
      secretKey: SK,
    });
    expect(signed).toEqual({
      authorization:
        'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
      'x-sdk-date': '20060102T150405Z',
    });
  });

  it('reproduces test2, whose body is Go json.Encoder output with its trailing newline', () => {
    const sign = (body: string) =>
      signRequest({
        method: 'POST',
        url: 'https://example.huaweicloud.com/path?key=value',
        headers: { 'X-Sdk-Date': '20060102T150405Z', TEST_UNDERSCORE: 'TEST_VALUE', 'Content-Type': 'application/json' },
        signedHeaders: ['x-sdk-date'],
        body,
        accessKey: AK,
        secretKey: SK,
      }).authorization;
    expect(sign('{"Name":"test","Id":1}\n')).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59',
    );
    const withoutNewline = sign('{"Name":"test","Id":1}');
    expect(withoutNewline).toMatch(/Signature=83599e52[0-9a-f]{52}7a35$/);
  });

  it('builds the published canonical query: sorted keys, one pair per value, RFC 3986 escaping', () => {
    const query = new URLSearchParams();
    query.append('limit', '1');
    query.append('enable', 'true');
    query.append('test', '一 (&=?!#%.*)');
    query.append('path', '/tmp/123');
    for (const v of ['1', '2', '3']) query.append('multi', v);
    expect(canonicalQueryA(query)).toBe(
      'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29',
    );
  });

  it('reproduces the Node-SDK style vector that signs content-type, host and x-sdk-date', () => {
    const signed = signRequest({
      method: 'POST',
      url: 'https://cbr.eu-de.otc.t-systems.com/v3/0123456789abcdef0123456789abcdef/vaults',
      headers: {
        'Content-Type': 'application/json',
        Host: 'cbr.eu-de.otc.t-systems.com',
        'X-Sdk-Date': '20240101T000000Z',
      },
      body: '{"vault":{"name":"v1"}}',
      accessKey: AK,
      secretKey: SK,
    });
    expect(signed.authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=content-type;host;x-sdk-date, Signature=bb836eb539d160de8da083edb6fec7af3a4a76f7354b8260b09d49f8a82fd9c3',
    );
  });

  it('signs host from the URL and the current time when neither is given', () => {
    const signed = signRequest({
      method: 'GET',
      url: 'http://127.0.0.1:8080/v3/p/vaults',
      accessKey: AK,
      secretKey: SK,
      date: new Date('2024-05-06T07:08:09.123Z'),
    });
    expect(signed['x-sdk-date']).toBe('20240506T070809Z');
    expect(signed.authorization).toMatch(/^SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=[0-9a-f]{64}$/);
  });
});

describe('SDK-HMAC-SHA256 variant B (Credential=, derived key)', () => {
  it('reproduces the gophertelekomcloud vector', () => {
    const signed = signRequestB({
      method: 'GET',
      url: 'https://example.com/path?limit=1',
      headers: { 'X-Sdk-Date': '20060102T150405Z' },
      accessKey: AK,
      secretKey: SK,
    });
    expect(signed.authorization).toBe(
      'SDK-HMAC-SHA256 Credential=AccessKey/20060102///sdk_request, SignedHeaders=host;x-sdk-date, Signature=0d71067180c802cadc70a5ff52b75c19bdd1213611a94d6ff85202b3f8382479',
    );
  });
});

describe('parsing and verifying', () => {
  it('parses both header variants', () => {
    expect(parseAuthorization('SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=ABCDEF01')).toEqual({
      variant: 'A',
      accessKey: 'AK1',
      signedHeaders: ['host', 'x-sdk-date'],
      signature: 'abcdef01',
    });
    expect(parseAuthorization('SDK-HMAC-SHA256 Credential=AK1/20240101/eu-de/cbr/sdk_request, SignedHeaders=host, Signature=ab')).toEqual({
      variant: 'B',
      accessKey: 'AK1',
      scope: { value: '20240101/eu-de/cbr/sdk_request', date: '20240101', region: 'eu-de', service: 'cbr' },
      signedHeaders: ['host'],
      signature: 'ab',
    });
    expect(parseAuthorization('Bearer x')).toBeUndefined();
    expect(parseAuthorization('SDK-HMAC-SHA256 Credential=AK1/20240101/sdk_request, SignedHeaders=host, Signature=ab')).toBeUndefined();
  });

  it('verifies what signRequest and signRequestB produce, over the received headers, and rejects a changed body', () => {
    const url = 'http://127.0.0.1:4000/v3/p1/vaults?limit=2&name=a%20b';
    const body = '{"vault":{"name":"v"}}';
    for (const sign of [signRequest, signRequestB]) {
      const headers = { 'content-type': 'application/json', 'x-project-id': 'p1' };
      const signed = sign({ method: 'POST', url, headers, body, accessKey: AK, secretKey: SK });
      // As node:http delivers them: lower-case names, host added by the client.
      const received = { ...headers, host: '127.0.0.1:4000', 'x-sdk-date': signed['x-sdk-date'], 'user-agent': 'unsigned' };
      const authorization = parseAuthorization(signed.authorization)!;
      const input = { method: 'POST', path: '/v3/p1/vaults', query: 'limit=2&name=a%20b', headers: received, authorization, secretKey: SK };
      expect(verifySignature({ ...input, body }).ok).toBe(true);
      expect(verifySignature({ ...input, body: body.replace('"v"', '"w"') }).ok).toBe(false);
      expect(verifySignature({ ...input, body, secretKey: 'other' }).ok).toBe(false);
    }
  });

  it('verifies a gophertelekomcloud POST without body, which hashes the query string', () => {
    const signed = signRequestB({ method: 'POST', url: 'http://h/v3/p/action?b=2&a=1', accessKey: AK, secretKey: SK });
    const result = verifySignature({
      method: 'POST',
      path: '/v3/p/action',
      query: 'b=2&a=1',
      headers: { host: 'h', 'x-sdk-date': signed['x-sdk-date'] },
      body: Buffer.alloc(0),
      authorization: parseAuthorization(signed.authorization)!,
      secretKey: SK,
    });
    expect(result.ok).toBe(true);
    expect(result.canonicalRequest.split('\n').slice(0, 3)).toEqual(['POST', '/v3/p/action/', '']);
    expect(result.canonicalRequest.endsWith(sha256Hex('a=1&b=2'))).toBe(true);
  });

  it('formats and parses X-Sdk-Date', () => {
    expect(formatSdkDate(new Date(Date.UTC(2006, 0, 2, 15, 4, 5)))).toBe('20060102T150405Z');
    expect(parseSdkDate('20060102T150405Z')).toBe(Date.UTC(2006, 0, 2, 15, 4, 5));
    expect(parseSdkDate('2006-01-02T15:04:05Z')).toBeUndefined();
  });
});
