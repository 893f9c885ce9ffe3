import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Checks every response the e2e tests receive against the OpenAPI document the runtime serves: the
 * status must be documented for that route, the content type must match, and the body must validate
 * against the schema for that route and status. A response that drifts from the document fails the test.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- walking a JSON document */
interface Operation {
  template: string;
  matcher: RegExp;
  responses: Record<string, any>;
}

interface Contract {
  operations: Map<string, Operation[]>;
  components: unknown;
  errorBody: ValidateFunction;
  validators: Map<string, ValidateFunction>;
  ajv: Ajv2020;
}

const contracts = new Map<string, Promise<Contract>>();

async function load(baseUrl: string): Promise<Contract> {
  const response = await fetch(`${baseUrl}/v1/openapi.json`);
  if (response.status !== 200) throw new Error(`The runtime did not serve its OpenAPI document (${response.status}).`);
  const doc = (await response.json()) as any;
  const operations = new Map<string, Operation[]>();
  for (const [template, methods] of Object.entries<any>(doc.paths)) {
    const pattern = template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+');
    for (const [method, op] of Object.entries<any>(methods)) {
      const list = operations.get(method.toUpperCase()) ?? [];
      list.push({ template, matcher: new RegExp(`^${pattern}$`), responses: op.responses });
      operations.set(method.toUpperCase(), list);
    }
  }
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const withComponents = (schema: object) => ajv.compile({ ...schema, components: doc.components });
  return {
    operations,
    components: doc.components,
    errorBody: withComponents({ $ref: '#/components/schemas/ErrorBody' }),
    validators: new Map(),
    ajv,
  };
}

function compiled(contract: Contract, key: string, schema: object): ValidateFunction {
  let validate = contract.validators.get(key);
  if (!validate) {
    validate = contract.ajv.compile({ ...schema, components: contract.components });
    contract.validators.set(key, validate);
  }
  return validate;
}

export interface ReceivedResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Throws when `response` is not what the document says `method path` answers. */
export async function assertDocumented(baseUrl: string, method: string, path: string, response: ReceivedResponse): Promise<void> {
  let pending = contracts.get(baseUrl);
  if (!pending) contracts.set(baseUrl, (pending = load(baseUrl)));
  const contract = await pending;
  const pathname = new URL(path, 'http://x').pathname;
  const operation = contract.operations.get(method.toUpperCase())?.find((op) => op.matcher.test(pathname));
  const where = `${method} ${pathname} → ${response.status}`;
  if (!operation) {
    // No such route: only the gateway's own error answer is possible.
    if (response.status < 400 || !contract.errorBody(response.body)) throw new Error(`${where}: an undocumented route answered outside the error shape.`);
    return;
  }
  const documented = operation.responses[String(response.status)];
  if (!documented) throw new Error(`${where}: status not documented for ${method} ${operation.template}.`);
  if (response.status === 429 && response.headers.get('retry-after') === null) throw new Error(`${where}: no Retry-After header.`);
  const content = documented.content as Record<string, { schema: object }> | undefined;
  if (!content) {
    if (response.body !== undefined) throw new Error(`${where}: the document says no content, the response had a body.`);
    return;
  }
  const contentType = response.headers.get('content-type')?.split(';')[0] ?? '';
  const media = content[contentType];
  if (!media) throw new Error(`${where}: content type ${contentType} is not documented (${Object.keys(content).join(', ')}).`);
  const validate = compiled(contract, `${method} ${operation.template} ${response.status} ${contentType}`, media.schema);
  if (!validate(response.body)) {
    throw new Error(`${where}: the body does not match the document: ${contract.ajv.errorsText(validate.errors)}\n${JSON.stringify(response.body).slice(0, 2000)}`);
  }
}
