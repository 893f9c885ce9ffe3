import { dispatchWebSocketRoutes } from '../../shared/http/ws-handler';
import { handler as $connect } from './connect';
import { handler as $default } from './default';
import { handler as $disconnect } from './disconnect';
import { handler as ping } from './ping';
import { handler as subscribe } from './subscribe';
import { handler as sync } from './sync';

export const handler = dispatchWebSocketRoutes({ $connect, $disconnect, subscribe, sync, ping, $default });
