/**
 * The REST baseline: the exact upstream calls of one recorded gateway run, sent straight to the emulator with undici,
 * wave by wave (the calls of a wave in parallel, the waves in sequence; see waves.ts). Ids the upstream created during
 * the recording (a new vault's id in the path of the following DELETE) are swapped for the ids this replay created.
 * Response bodies are read in full but parsed only when a later call needs an id from them, exactly as the load
 * generator treats the gateway's answers: the comparison is transport against transport plus the gateway's work.
 * `parseEvery` parses every answer instead: the parse-and-forward hop (hop.ts) does what any gateway must.
 */
import type { Dispatcher } from 'undici';
import type { RecordedCall } from './recorder';

/**
 * Pairs the ids of a recorded answer with the same places of a replayed answer: `old id → new id` for every string
 * under a key `id` or `*_id` that differs. Arrays pair by index. Pure.
 */
export function pairIds(recorded: unknown, replayed: unknown, into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(recorded) && Array.isArray(replayed)) {
    recorded.forEach((item, i) => pairIds(item, replayed[i], into));
  } else if (isObject(recorded) && isObject(replayed)) {
    for (const [key, value] of Object.entries(recorded)) {
      const other = replayed[key];
      if ((key === 'id' || key.endsWith('_id')) && typeof value === 'string' && typeof other === 'string') {
        if (value !== other) into.set(value, other);
      } else {
        pairIds(value, other, into);
      }
    }
  }
  return into;
}

/** `text` with every recorded id replaced by its replayed twin. Pure. */
export function substituteIds(text: string, ids: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [from, to] of ids) out = out.replaceAll(from, to);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ReplayOptions {
  /** The emulator's origin, `http://127.0.0.1:PORT`. */
  origin: string;
  token: string;
  dispatcher: Dispatcher;
  waves: readonly (readonly RecordedCall[])[];
  /** JSON.parse every answer with a body, not only those holding ids a later call sends. Default false. */
  parseEvery?: boolean;
}

/**
 * Sends the waves of a recording one at a time: `sendWave(i, ids)` sends wave `i` (its calls in parallel) with the ids
 * the earlier waves of the same run created (`ids`, filled as answers arrive) and resolves with the answers, parsed
 * when `parseEvery` is set (else `undefined` for each).
 */
export function createWaveSender({ origin, token, dispatcher, waves, parseEvery = false }: ReplayOptions) {
  const all = waves.flat();
  // Only answers holding a new id (one the call did not send itself, unlike the project id) that a later call sends
  // need parsing; everything else is read and dropped.
  const feedsLaterCalls = new Set(
    all.filter((call, i) => {
      const sent = call.path + (call.body ?? '');
      const later = all.slice(i + 1).map((c) => c.path + (c.body ?? ''));
      return idsIn(call.responseBody).some((id) => !sent.includes(id) && later.some((text) => text.includes(id)));
    }),
  );

  async function send(call: RecordedCall, ids: Map<string, string>): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-auth-token': token };
    const body = call.body === undefined ? undefined : substituteIds(call.body, ids);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await dispatcher.request({ origin, method: call.method as Dispatcher.HttpMethod, path: substituteIds(call.path, ids), headers, body });
    const text = await res.body.text();
    if (res.statusCode !== call.status) {
      throw new Error(`replay: ${call.method} ${call.path} answered ${res.statusCode}, the recording ${call.status}: ${text.slice(0, 200)}`);
    }
    const parsed = feedsLaterCalls.has(call) || (parseEvery && text !== '') ? JSON.parse(text) : undefined;
    if (feedsLaterCalls.has(call)) pairIds(JSON.parse(call.responseBody), parsed, ids);
    return parseEvery ? parsed : undefined;
  }

  return (wave: number, ids: Map<string, string>): Promise<unknown[]> => Promise.all(waves[wave]!.map((call) => send(call, ids)));
}

/** Builds the replay of `waves`: each call of the returned function sends the whole sequence once. */
export function createRestReplay(options: ReplayOptions): () => Promise<void> {
  const sendWave = createWaveSender(options);
  return async () => {
    const ids = new Map<string, string>();
    for (let wave = 0; wave < options.waves.length; wave++) await sendWave(wave, ids);
  };
}

/** The ids (strings under `id` / `*_id` keys) in a recorded answer. */
function idsIn(responseBody: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(responseBody);
  } catch {
    return [];
  }
  const ids: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if ((key === 'id' || key.endsWith('_id')) && typeof v === 'string') ids.push(v);
        else walk(v);
      }
    }
  };
  walk(parsed);
  return ids;
}
