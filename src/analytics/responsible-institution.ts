/**
 * The institution answering for a value or a report: the first of its indicator's institutions (in their listed
 * order) whose org unit is the value's unit or an ancestor of it, else the first listed. One rule, shared by
 * reporting completeness and evidence coverage, so both name the same owner.
 */

/** A LATERAL subquery giving `institution_id` for the row `alias`, which carries `indicator_id` and `org_unit_id`. */
export function responsibleInstitution(alias: string): string {
  return `(
    SELECT ii.institution_id FROM indicator_institution ii
      JOIN institution inst ON inst.id = ii.institution_id
      LEFT JOIN org_unit_closure c ON c.ancestor_id = inst.org_unit_id AND c.descendant_id = ${alias}.org_unit_id
     WHERE ii.indicator_id = ${alias}.indicator_id
     ORDER BY c.ancestor_id IS NULL, ii.sort, inst.code LIMIT 1
  )`;
}
