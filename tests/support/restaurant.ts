import { randomBytes } from 'node:crypto';

/** A unique, valid username so that each test builds its own data. */
export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export const strongPassword = () => `pw-${randomBytes(12).toString('base64url')}`;
