import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as listTickets } from './list-tickets';
import { handler as changeLineStatus } from './change-line-status';

export const handler = dispatchRoutes('kitchen', { listTickets, changeLineStatus });
