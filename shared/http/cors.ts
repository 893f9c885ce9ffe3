/**
 * What a browser on the web apps' origin may read of an answer: besides the body, the headers the
 * apps act on (a 429's or 503's `Retry-After`, a replayed order, the request id to quote). The
 * handlers, the deployed gateway responses and the local gateway all send the same.
 */
export const corsHeaders = (origin: string): Record<string, string> => ({
  'Access-Control-Allow-Origin': origin,
  'Access-Control-Expose-Headers': 'Retry-After,X-Request-Id,Idempotent-Replayed',
  Vary: 'Origin',
});
