import fc from 'fast-check';
import { CALLERS, ID_NAMES } from './world';
import type { Caller, IdName, World } from './world';
import type { WireRequest } from './wire';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON Schema from the served document */
type Schema = Record<string, any>;

/** One operation of the served OpenAPI document, as much of it as the fuzzer needs. */
export interface Operation {
  id: string;
  method: string;
  path: string;
  /** Whether it takes a token (public operations ignore Authorization). */
  authenticated: boolean;
  /** Callers of restaurant A whose role the operation allows. */
  allowed: Caller[];
  query: { name: string; schema: Schema }[];
  headers: { name: string; required: boolean; schema: Schema }[];
  body?: Schema;
  /** Status and error codes the document declares for it. */
  errors: Map<number, string[] | undefined>;
}

/** A fixture's id, filled in when the request is sent (the world is refreshed under way). Plain strings in paths and queries are sent as encoded. */
interface FixtureRef {
  $fixture: IdName;
  which: number;
}
type Part = string | FixtureRef;

type Authorization = { caller: Caller } | { raw: string };

/** A request as generated: reproducible from the seed, whatever the fixtures' ids are by then. */
export interface FuzzRequest {
  label: string;
  method: string;
  path: Part[];
  query: [string, Part][];
  headers: [string, string][];
  /** Authorization headers to send: a caller's token, or a raw value. */
  auth: Authorization[];
  body?: { json: unknown } | { raw: string } | { bytes: number[] };
  ip: string;
}

const resolveRef = (doc: Schema, schema: Schema): Schema => {
  let current = schema;
  while (current?.$ref) current = current.$ref.replace(/^#\//, '').split('/').reduce((node: Schema, key: string) => node?.[key], doc);
  return current ?? {};
};

/** Every operation of the document (the contract the fuzzer aims at). */
export function operationsOf(doc: Schema): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      const parameters: Schema[] = (op.parameters ?? []).map((p: Schema) => resolveRef(doc, p));
      const errors = new Map<number, string[] | undefined>();
      for (const [status, response] of Object.entries<Schema>(op.responses ?? {})) {
        const content = resolveRef(doc, response).content?.['application/json']?.schema;
        errors.set(Number(status), content?.allOf?.[1]?.properties?.error?.properties?.code?.enum);
      }
      operations.push({
        id: op.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        authenticated: (op.security ?? doc.security ?? []).length > 0,
        allowed: ((op['x-allowed-callers'] ?? []) as string[]).flatMap((role) => CALLERS_BY_ROLE[role] ?? []),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolveRef(doc, p.schema) })),
        headers: parameters.filter((p) => p.in === 'header').map((p) => ({ name: p.name, required: Boolean(p.required), schema: resolveRef(doc, p.schema) })),
        body: op.requestBody ? resolveRef(doc, resolveRef(doc, op.requestBody).content?.['application/json']?.schema ?? {}) : undefined,
        errors,
      });
    }
  }
  return operations;
}

const fixture = (name: IdName): fc.Arbitrary<FixtureRef> => fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }).map((which) => ({ $fixture: name, which }));

const encode = (text: string): string => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

/** Path segments an attacker sends: bad or overlong percent-encodings, traversal, prototype names, injections. */
const hostileSegment = fc.oneof(
  fc.constantFrom(
    '%ED%A0%80',
    '%',
    '%zz',
    '%E0%80%AF',
    '%C0%AE%C0%AE',
    '..',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e%2f',
    '__proto__',
    'constructor',
    'toString',
    '%00',
    '%0d%0aSet-Cookie:%20x=1',
    '%27%20OR%201=1--',
    '%7B%22%24ne%22%3Anull%7D',
    'a'.repeat(3000),
    '%F0%9F%8D%95',
    '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encode),
);

/** Strings that break naive code: unicode edge cases, injections, sizes past every limit. */
const hostileString = fc.oneof(
  fc.constantFrom('', ' ', '\u202Eevil', 'a\u200Bb', 'Z\u0338\u0322a', '\uD800', '\uDFFF\uD800', '<script>alert(1)</script>', "'; DROP TABLE x;--", '{"$ne":null}', '__proto__', '../../etc/passwd', '\u0000', 'x'.repeat(5000), '🍕'.repeat(600)),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }), hostileString);

const ID_HINTS: Partial<Record<string, IdName>> = Object.fromEntries(ID_NAMES.map((name) => [name, name]));

/** Values for a JSON Schema, with the fixtures' ids where a field names one. */
function valueOf(schema: Schema, doc: Schema, hint = '', depth = 0): fc.Arbitrary<unknown> {
  schema = resolveRef(doc, schema);
  const named = ID_HINTS[hint] ?? (hint === 'optionIds' ? 'optionId' : undefined);
  const fromSchema = plainValueOf(schema, doc, hint, depth);
  if (!named) return fromSchema;
  const id = fixture(named);
  return hint === 'optionIds' ? fc.oneof({ weight: 3, arbitrary: id.map((ref) => [ref]) }, fromSchema) : fc.oneof({ weight: 3, arbitrary: id }, fromSchema);
}

function plainValueOf(schema: Schema, doc: Schema, hint: string, depth: number): fc.Arbitrary<unknown> {
  if (depth > 4) return fc.constant(null);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return fc.oneof(...variants.map((variant: Schema) => valueOf(variant, doc, hint, depth + 1)));
  if (schema.allOf) return valueOf(schema.allOf[0], doc, hint, depth + 1);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  const nonNull = types.filter((type) => type !== 'null');
  const value = typedValue(nonNull[0], schema, doc, depth);
  return types.includes('null') ? fc.option(value, { nil: null }) : value;
}

function typedValue(type: string | undefined, schema: Schema, doc: Schema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string': {
      if (schema.format === 'date-time') return fc.integer({ min: -86_400, max: 40 * 86_400 }).map((s) => new Date(Date.now() + s * 1000).toISOString());
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(schema.pattern), { size: 'xsmall' });
        } catch {
          // A pattern fast-check cannot invert: plain strings.
        }
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 20) });
    }
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1e6), max: Math.min(schema.maximum ?? 1000, 1e6) });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueOf(schema.items ?? {}, doc, '', depth + 1), { minLength: Math.min(schema.minItems ?? 0, 3), maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object': {
      const properties = Object.entries<Schema>(schema.properties ?? {});
      if (properties.length === 0) return fc.constant({});
      return fc.record(Object.fromEntries(properties.map(([name, property]) => [name, valueOf(property, doc, name, depth + 1)])), {
        requiredKeys: (schema.required ?? []).filter((name: string) => schema.properties?.[name]),
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** What to do to a valid body: drop, retype or add a field, or replace the whole. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value: wrongType }),
  fc.record({ kind: fc.constant('add' as const), name: fc.constantFrom('__proto__', 'constructor', 'priceCents', 'totalCents', 'role', 'restaurantId', 'extra', 'toString'), value: wrongType }),
  fc.record({ kind: fc.constant('replace' as const), value: wrongType }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(body: unknown, change: Mutation): unknown {
  if (change.kind === 'replace' || !body || typeof body !== 'object' || Array.isArray(body)) return 'value' in change ? change.value : null;
  const entries = Object.entries(body);
  if (change.kind === 'add') return { ...Object.fromEntries(entries), [change.name]: change.value };
  if (entries.length === 0) return body;
  const at = change.at % entries.length;
  if (change.kind === 'drop') return Object.fromEntries(entries.filter((_, i) => i !== at));
  return Object.fromEntries(entries.map(([name, value], i) => [name, i === at ? change.value : value]));
}

/** Bodies that are no JSON object at all: broken JSON, bytes that are no UTF-8, sizes past the limit, deep nesting. */
const rawBody: fc.Arbitrary<FuzzRequest['body']> = fc.oneof(
  fc.constantFrom('{', '{"a":', 'null', '[]', '"text"', '1e999', 'NaN', '{"a":1,"a":2}', '[' .repeat(20_000), 'x'.repeat(70_000), `{"name":"${'x'.repeat(70_000)}"}`).map((raw) => ({ raw })),
  fc.constantFrom([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d], [0x7b, 0x22, 0x67, 0x75, 0x65, 0x73, 0x74, 0x4e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d], [0xef, 0xbb, 0xbf, 0x7b, 0x7d]).map((bytes) => ({ bytes: [...bytes] })),
);

const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  fc.constantFrom('text/plain', 'application/json; charset=iso-8859-1', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', ''),
);

/** Authorization as attackers and confused clients send it: none, anyone's token, junk, or two headers. */
const auth: fc.Arbitrary<Authorization[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Authorization[]>([]) },
  { weight: 8, arbitrary: fc.constantFrom(...CALLERS).map((caller): Authorization[] => [{ caller }]) },
  fc.constantFrom('Bearer ', 'Bearer x', 'Basic dXNlcjpwYXNz', `Bearer ${'A'.repeat(5000)}`, 'Bearer ../../', 'bearer  spaced out').map((raw): Authorization[] => [{ raw }]),
  fc.tuple(fc.constantFrom(...CALLERS), fc.constantFrom(...CALLERS)).map(([first, second]): Authorization[] => [{ caller: first }, { caller: second }]),
);

const CALLERS_BY_ROLE: Record<string, Caller[]> = { OWNER: ['A.owner'], MANAGER: ['A.manager'], WAITER: ['A.waiter'], KITCHEN: ['A.kitchen'], GUEST: ['A.guest', 'A.otherGuest'] };

/** Mostly someone the operation lets in, so requests reach its validation and its rules; else anyone or anything. */
const authFor = (op: Operation): fc.Arbitrary<Authorization[]> =>
  op.allowed.length === 0 ? auth : fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...op.allowed).map((caller): Authorization[] => [{ caller }]) }, { weight: 1, arbitrary: auth });

const ip = fc.tuple(fc.nat(255), fc.integer({ min: 1, max: 254 })).map(([a, b]) => `198.51.${a}.${b}`);

/** Headers beyond the contract's: prototype names, a giant one, many. */
const extraHeaders = fc.oneof(
  { weight: 6, arbitrary: fc.constant([] as [string, string][]) },
  fc.constantFrom<[string, string][]>([['__proto__', '1']], [['constructor', 'x']], [['X-Big', 'x'.repeat(12_000)]], Array.from({ length: 60 }, (_, i) => [`X-Many-${i}`, 'y']), [['Content-Length-Extra', '5']]),
);

const extraQuery = fc.oneof(
  { weight: 5, arbitrary: fc.constant([] as [string, Part][]) },
  fc.constantFrom<[string, Part][]>([['__proto__', 'x']], [['constructor', '1']], [['toString', '']], [['cursor', 'eyJwayI6IkFVRElUI3giLCJzayI6IngifQ']], [['cursor', '%ED%A0%80']], [['limit', '-1']], [['lang', '__proto__']], [['hasOwnProperty', '1']]),
);

const FIXTURE_PARAMS = new Set<string>(ID_NAMES);

function requestFor(op: Operation, doc: Schema): fc.Arbitrary<FuzzRequest> {
  const segments = op.path.split('/').filter(Boolean);
  const pathParts = fc.tuple(
    ...segments.map((segment): fc.Arbitrary<Part> => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!param) return fc.constant(segment);
      const known = FIXTURE_PARAMS.has(param) ? fixture(param as IdName) : fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      return fc.oneof({ weight: 7, arbitrary: known }, { weight: 1, arbitrary: fc.constantFrom(...ID_NAMES).chain(fixture) }, { weight: 2, arbitrary: hostileSegment });
    }),
  );
  const query = fc.tuple(
    fc.tuple(...op.query.map((q) => fc.option(valueOf(q.schema, doc, q.name).map((value): [string, Part] => [q.name, typeof value === 'object' && value ? (value as FixtureRef) : encode(String(value))]), { nil: undefined }))),
    extraQuery,
  ).map(([declared, extra]) => [...declared.filter((q): q is [string, Part] => q !== undefined), ...extra]);
  const headers = fc.tuple(
    fc.tuple(
      ...op.headers.map((h) =>
        fc.oneof(
          { weight: 8, arbitrary: valueOf(h.schema, doc, h.name).map((value) => [[h.name, String(value)]] as [string, string][]) },
          fc.constantFrom<[string, string][]>([], [[h.name, '']], [[h.name, 'a b']], [[h.name, 'k'.repeat(300)]], [[h.name, 'one'], [h.name, 'two']]),
        ),
      ),
    ),
    extraHeaders,
  ).map(([declared, extra]) => [...declared.flat(), ...extra]);
  const body: fc.Arbitrary<FuzzRequest['body']> = op.body
    ? fc.oneof(
        { weight: 5, arbitrary: valueOf(op.body, doc).map((json) => ({ json })) },
        { weight: 3, arbitrary: fc.tuple(valueOf(op.body, doc), mutation).map(([json, change]) => ({ json: mutate(json, change) })) },
        { weight: 1, arbitrary: rawBody },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
    : fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant({ json: { unexpected: true } }) });
  return fc
    .record({ path: pathParts, query, headers, auth: authFor(op), body, type: contentType, ip })
    .map(({ path, query, headers, auth, body, type, ip }) => ({
      label: op.id,
      method: op.method,
      path,
      query,
      headers: body && type ? [['Content-Type', type] as [string, string], ...headers] : headers,
      auth,
      body,
      ip,
    }));
}

/** Requests for no route: wrong methods, unknown and odd paths. */
const strayRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'),
    path: fc.oneof(
      fc.constantFrom('/', '/v1', '/v1/', '/v2/orders', '//v1//orders', '/v1/restaurants', '/v1/orders/..', '/v1/%2e%2e/%2e%2e/etc/passwd', '/V1/ORDERS', '/v1/orders;jsessionid=1', '/v1/restaurants/%ED%A0%80/menu'),
      fc.array(hostileSegment, { minLength: 1, maxLength: 4 }).map((segments) => `/v1/${segments.join('/')}`),
    ),
    auth,
    ip,
  })
  .map(({ method, path, auth, ip }) => ({ label: 'no route', method, path: [path.slice(1)], query: [], headers: [], auth, body: undefined, ip }));

/** Every request the fuzzer sends: mostly the document's operations, hostile in some part; some for no route at all. */
export function fuzzRequests(operations: Operation[], doc: Schema): fc.Arbitrary<FuzzRequest> {
  // Built once per operation: rebuilding an operation's arbitrary for every request costs more than sending it.
  const byOperation = fc.oneof(...operations.map((op) => requestFor(op, doc)));
  return fc.oneof({ weight: 9, arbitrary: byOperation }, { weight: 1, arbitrary: strayRequest });
}

const resolvePart = (part: Part, world: World): string => (typeof part === 'string' ? part : world.id(part.$fixture, part.which));

function resolveJson(value: unknown, world: World): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveJson(item, world));
  if (value && typeof value === 'object') {
    if ('$fixture' in value) return resolvePart(value as FixtureRef, world);
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, resolveJson(item, world)]));
  }
  return value;
}

/** The request on the wire, with today's fixture ids and tokens. */
export function toWire(request: FuzzRequest, world: World): WireRequest {
  const path = `/${request.path.map((part) => (typeof part === 'string' ? part : encodeURIComponent(resolvePart(part, world)))).join('/')}`;
  const query = request.query.map(([name, value]) => `${encodeURIComponent(name)}=${typeof value === 'string' ? value : encodeURIComponent(resolvePart(value, world))}`).join('&');
  const headers: [string, string][] = [['X-Forwarded-For', request.ip], ...request.headers];
  for (const given of request.auth) headers.push(['Authorization', 'caller' in given ? `Bearer ${world.token(given.caller)}` : given.raw]);
  const body = request.body;
  return {
    method: request.method,
    path: query ? `${path}?${query}` : path,
    headers,
    body: !body ? undefined : 'json' in body ? Buffer.from(JSON.stringify(resolveJson(body.json, world)) ?? 'null') : 'raw' in body ? Buffer.from(body.raw) : Buffer.from(body.bytes),
  };
}
