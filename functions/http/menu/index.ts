import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as createMenuItem } from './create-menu-item';
import { handler as updateMenuItem } from './update-menu-item';
import { handler as archiveMenuItem } from './archive-menu-item';
import { handler as getMenu } from './get-menu';
import { handler as importMenu } from './import-menu';
import { handler as listMenuItems } from './list-menu-items';

export const handler = dispatchRoutes('menu', { createMenuItem, updateMenuItem, archiveMenuItem, listMenuItems, importMenu, getMenu });
