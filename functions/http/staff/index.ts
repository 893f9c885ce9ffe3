import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as staffLogin } from './staff-login';
import { handler as logout } from './logout';
import { handler as getRestaurant } from './get-restaurant';
import { handler as updateRestaurant } from './update-restaurant';
import { handler as createStaff } from './create-staff';
import { handler as listStaff } from './list-staff';
import { handler as deleteStaff } from './delete-staff';
import { handler as listAudit } from './list-audit';
import { handler as unlockStaff } from './unlock-staff';

export const handler = dispatchRoutes('staff', { staffLogin, logout, getRestaurant, updateRestaurant, createStaff, listStaff, deleteStaff, unlockStaff, listAudit });
