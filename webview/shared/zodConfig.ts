// Imported first by every page that uses zod. zod 4 probes for `new Function` when it
// builds an object schema; under the pages' strict CSP that probe is refused and reported
// on every load. Turning compiled validators off before any schema exists avoids it.
import { z } from 'zod';

z.config({ jitless: true });
