/** HTTP handlers of the vault API. PLACEHOLDER: routes are added by the owning engineer. */
import type { Route } from '../router';

export const routes: Route[] = [];
