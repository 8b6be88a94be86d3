-- Eligibility reads each qualified contractor's weekly template through its own index range
-- (issue #16). With the window times in the index, that read is index-only: no heap page per
-- contractor. (drizzle's index builder has no INCLUDE, so this index lives here only.)
CREATE INDEX "contractor_weekly_availability_covering_idx" ON "contractor_weekly_availability" ("contractor_id", "weekday") INCLUDE ("start_time", "end_time");
