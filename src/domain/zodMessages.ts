import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The tool validates with zod/mini: the same checks as zod's classic API at a
// fraction of the code to load on every run (see README, Speed). zod/mini carries
// no messages of its own; importing this module gives it the English ones, which
// make refusals readable. Import it for its effect wherever zod/mini is used.
config(en());
