import type { IncomingMessage } from 'node:http';

/**
 * The last value of each name and every value in order, as API Gateway puts headers and query
 * strings into proxy and authorizer events. Built from Maps, so names such as `__proto__` or
 * `constructor` stay plain keys.
 */
function collect(entries: Iterable<[string, string]>) {
  const single = new Map<string, string>();
  const multi = new Map<string, string[]>();
  for (const [name, value] of entries) {
    single.set(name, value);
    multi.set(name, multi.get(name)?.concat(value) ?? [value]);
  }
  return { single: Object.fromEntries(single), multi: Object.fromEntries(multi), size: single.size };
}

/** The headers as sent (raw names, repeated ones kept), not Node's merged view. */
export function headerMaps(req: IncomingMessage) {
  const pairs: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
  const { single, multi } = collect(pairs);
  return { headers: single, multiValueHeaders: multi };
}

/** The query string; both maps are null when there is none, as in a REST proxy event. */
export function queryMaps(url: URL) {
  const { single, multi, size } = collect(url.searchParams);
  if (size === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null };
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

/** A path segment as API Gateway hands it on: percent-decoded, or as sent when it is no valid encoding. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
