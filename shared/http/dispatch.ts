import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { restRoutes } from './routes';
import type { RestFunctionName, RestRoutesOf } from './routes';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * A REST function's Lambda handler: hands each event to its route's handler, found by API Gateway's
 * resource path and method. `handlers` must name exactly the manifest's routes of that function, so
 * a route added to the manifest but not wired (or wired to the wrong function) fails the type check.
 */
export function dispatchRoutes<F extends RestFunctionName>(fn: F, handlers: Record<RestRoutesOf<F>, ProxyHandler>): ProxyHandler {
  const byKey = new Map<string, ProxyHandler>();
  for (const [name, handler] of Object.entries<ProxyHandler>(handlers)) {
    const route = restRoutes[name as RestRoutesOf<F>];
    byKey.set(`${route.method} ${route.path}`, handler);
  }
  return (event, context) => {
    const handler = byKey.get(`${event.httpMethod} ${event.resource}`);
    // API Gateway sends this function only its own routes: anything else is a wiring bug, a 502 with a log line.
    if (!handler) throw new Error(`Function ${fn} has no route ${event.httpMethod} ${event.resource}`);
    return handler(event, context);
  };
}
