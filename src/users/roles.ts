/** The roles of the console and what each is for (docs/console.md has the full matrix). */
import { z } from 'zod';

export const Role = z.enum(['analyst', 'outreach', 'supervisor', 'partner', 'admin']);
export type Role = z.infer<typeof Role>;

export const UserName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{1,62}$/,
    'a user name is 2–63 lower-case letters, digits, dots, dashes or underscores',
  );

export const Country = z.string().regex(/^[A-Z]{2}$/, 'a country is an ISO 3166 alpha-2 code');

export interface User {
  id: number;
  name: string;
  role: Role;
  /** The one country a partner sees; null for every other role. */
  country: string | null;
}
