import createClient from 'openapi-fetch';
import type { components, paths } from '../../shared/contract/openapi';

/** Where this deployment's API and WebSocket API are: written at deploy time (and by `npm start`) as /config.json. */
export interface AppConfig {
  apiUrl: string;
  webSocketUrl: string;
}

export type Schemas = components['schemas'];
export type Api = ReturnType<typeof createApi>;

/** The typed client of the project's own OpenAPI document: paths, bodies and answers cannot drift from the server. */
export function createApi(config: AppConfig, token: () => string | undefined) {
  const client = createClient<paths>({ baseUrl: config.apiUrl.replace(/\/$/, '') });
  client.use({
    onRequest({ request }) {
      const current = token();
      if (current && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${current}`);
      return request;
    },
  });
  return client;
}

/** The contract's error body, whatever the route. */
export interface ApiProblem {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}
export const problemOf = (body: unknown): ApiProblem | undefined => (body as { error?: ApiProblem } | undefined)?.error;

/** Seconds from a 429's or 503's `Retry-After`, else the fallback. */
export const retryAfterOf = (response: Response, fallback = 5): number => {
  const seconds = Number(response.headers.get('Retry-After'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : fallback;
};

export async function loadConfig(): Promise<AppConfig> {
  // Preloaded by index.html; the server says not to cache it, so a new deployment's URLs are read at once.
  const response = await fetch('/config.json');
  return (await response.json()) as AppConfig;
}
