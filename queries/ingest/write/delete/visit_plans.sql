-- The import's work copy: delete the rows of visit_plans whose keys are in the view ingest_rows.
delete from visit_plans as t
using ingest_rows as s
where t.staff_id = s.staff_id
  and t.customer_id = s.customer_id
  and t.planned_on = s.planned_on
