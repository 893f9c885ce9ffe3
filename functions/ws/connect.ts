import { fromAuthorizerContext } from '../../shared/auth/principal';
import { UnauthenticatedError } from '../../shared/errors';
import { connect } from '../../shared/realtime/sockets';
import { wsHandler } from '../../shared/http/ws-handler';

/** `$connect`: the REQUEST authorizer accepted the token; remember the connection and its channels. */
export const handler = wsHandler(async ({ connectionId, authorizer, now }) => {
  const principal = fromAuthorizerContext(authorizer);
  if (!principal) throw new UnauthenticatedError();
  await connect(principal, connectionId, now);
});
