import { z } from 'zod';

// Placeholder owned by the probes work (issue 6): the `probes:` section of
// .github/progressor.yml. Replaced by the full probe configuration schema.
export const probesConfigSchema = z.array(z.record(z.string(), z.unknown())).default([]).describe('Live probes (SPEC §8).');
