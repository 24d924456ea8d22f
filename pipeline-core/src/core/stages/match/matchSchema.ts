import { z } from 'zod';

/**
 * The `match` stage's own fields: which rows of two inputs belong together (an order and its
 * settlement), within what tolerance, and how long an unmatched item may stay open across
 * nights. Kept free of the spec module so the spec schema can import it without a cycle.
 */
const column = z.string().min(1).max(255).regex(/^[^\u0000-\u001f"`]+$/, 'column names may not contain quotes or control characters');
export const stageRef = z
  .string()
  .max(127)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, "a stage name, or 'stage.output' for one output of a match stage");

export const NORMALISERS = ['trim', 'upper', 'lower'] as const;
export type Normaliser = (typeof NORMALISERS)[number];

export const matchKeySchema = z.union([
  column,
  z.strictObject({
    left: column,
    right: column,
    normalise: z.array(z.enum(NORMALISERS)).optional().meta({ description: 'applied to both sides before comparing, in order (string keys only)' }),
  }),
]);

const sidePair = { left: column, right: column };

export const matchStageFields = {
  kind: z.literal('match'),
  left: stageRef.meta({ description: 'the items to account for (e.g. orders)' }),
  right: stageRef.meta({ description: 'the items that clear them (e.g. settlements)' }),
  keys: z.array(matchKeySchema).min(1).meta({ description: 'columns that must be equal on both sides: a name both sides share, or { left, right, normalise }' }),
  amount: z.strictObject(sidePair).optional().meta({ description: 'the amounts compared; pairs beyond the tolerance are mismatched' }),
  tolerance: z
    .strictObject({
      absolute: z.number().min(0).optional(),
      relative: z.number().min(0).max(1).optional().meta({ description: 'share of the left amount, e.g. 0.001' }),
    })
    .optional()
    .meta({ description: 'amounts agree when |right - left| <= max(absolute, relative * |left|); default exact' }),
  date: z
    .strictObject({ ...sidePair, within_days: z.number().int().min(0).max(3650) })
    .optional()
    .meta({ description: 'the right date must fall on the left date or up to within_days days after it' }),
  cardinality: z.enum(['one_to_one', 'one_to_many']).default('one_to_one').meta({
    description: 'one_to_many: one right item may clear several left items whose amounts sum to it within the tolerance',
  }),
  labels: z
    .strictObject({ left: z.string().min(1).max(40), right: z.string().min(1).max(40) })
    .optional()
    .meta({ description: "what one item of each side is called in the run summary, e.g. { left: order, right: settlement }" }),
  open_items: z
    .strictObject({
      carry: z.boolean().default(true).meta({ description: "unmatched items are kept in the lake's state and matched again on later run dates" }),
      max_age_days: z.number().int().min(0).optional().meta({ description: 'an item open longer than this many days fails the open_items_age rule' }),
      severity: z.enum(['error', 'warn']).default('error'),
    })
    .optional(),
};

/** The outputs later stages read as `<stage>.<output>`. */
export const MATCH_OUTPUTS = ['matched', 'mismatched', 'unmatched_left', 'unmatched_right'] as const;
export type MatchOutput = (typeof MATCH_OUTPUTS)[number];
