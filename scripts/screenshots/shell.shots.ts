import type { ShotContext } from './context.js';

/** The sign-in screens every staff member and contractor starts from. */
export default async function shots({ baseUrl, pageAs, shoot }: ShotContext) {
  const staff = await pageAs(null);
  await staff.goto(`${baseUrl}/ops`);
  await staff.getByRole('button', { name: 'Sign in' }).waitFor();
  await shoot(staff, 'ops-sign-in');
  const phone = await pageAs(null, 'phone');
  await phone.goto(`${baseUrl}/app`);
  await phone.getByRole('button', { name: 'Sign in' }).waitFor();
  await shoot(phone, 'app-sign-in');
}
