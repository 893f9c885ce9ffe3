import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as listTickets } from './list-tickets';
import { handler as changeLineStatus } from './change-line-status';
import { handler as bumpTicket } from './bump-ticket';
import { handler as allDay } from './all-day';

export const handler = dispatchRoutes('kitchen', { listTickets, changeLineStatus, bumpTicket, allDay });
