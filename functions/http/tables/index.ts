import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as createTable } from './create-table';
import { handler as listTables } from './list-tables';
import { handler as getTableQr } from './get-table-qr';
import { handler as rotateTableCode } from './rotate-table-code';
import { handler as resolveTableCode } from './resolve-table-code';

export const handler = dispatchRoutes('tables', { createTable, listTables, getTableQr, rotateTableCode, resolveTableCode });
