-- contractor_facts kept current in the transaction of every change (issue #16). Skills and
-- certifications are refreshed per statement for the contractors it touched; outcomes and ratings move by deltas
-- per row (only rows that change a count fire).

CREATE FUNCTION handy_refresh_skill_facts(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO contractor_facts AS f (contractor_id, skills, skill_count, category_counts, updated_at)
  SELECT c.id, coalesce(k.skills, '{}'::jsonb), coalesce(k.n, 0), coalesce(k.categories, '{}'::jsonb), now()
  FROM contractors c
  LEFT JOIN LATERAL (
    SELECT jsonb_object_agg(s.task_id, jsonb_build_object('category', t.category, 'confidence', s.confidence, 'last_performed_at', s.last_performed_at)) AS skills,
           count(*)::int AS n,
           (SELECT jsonb_object_agg(category, n) FROM (SELECT t2.category, count(*)::int AS n FROM contractor_skills s2
              JOIN contractor_tasks t2 ON t2.id = s2.task_id WHERE s2.contractor_id = c.id GROUP BY t2.category) g) AS categories
    FROM contractor_skills s JOIN contractor_tasks t ON t.id = s.task_id WHERE s.contractor_id = c.id) k ON true
  WHERE c.id = ANY(ids)
  ORDER BY c.id
  ON CONFLICT (contractor_id) DO UPDATE SET skills = excluded.skills, skill_count = excluded.skill_count,
    category_counts = excluded.category_counts, updated_at = excluded.updated_at;
$$;
--> statement-breakpoint
CREATE FUNCTION handy_skill_facts_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM handy_refresh_skill_facts(ARRAY(SELECT DISTINCT contractor_id FROM new_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION handy_skill_facts_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM handy_refresh_skill_facts(ARRAY(SELECT contractor_id FROM new_rows UNION SELECT contractor_id FROM old_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION handy_skill_facts_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM handy_refresh_skill_facts(ARRAY(SELECT DISTINCT contractor_id FROM old_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contractor_skills_facts_ins AFTER INSERT ON contractor_skills REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION handy_skill_facts_ins();
--> statement-breakpoint
CREATE TRIGGER contractor_skills_facts_upd AFTER UPDATE ON contractor_skills REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION handy_skill_facts_upd();
--> statement-breakpoint
CREATE TRIGGER contractor_skills_facts_del AFTER DELETE ON contractor_skills REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION handy_skill_facts_del();
--> statement-breakpoint
-- A task moved to another category changes the skills summary of everyone who has it.
CREATE FUNCTION handy_task_category_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM handy_refresh_skill_facts(ARRAY(SELECT contractor_id FROM contractor_skills WHERE task_id = NEW.id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contractor_tasks_category_facts AFTER UPDATE OF category ON contractor_tasks
  FOR EACH ROW WHEN (OLD.category IS DISTINCT FROM NEW.category) EXECUTE FUNCTION handy_task_category_facts();
--> statement-breakpoint
-- Certifications (named in reasons, valid on the job date).
CREATE FUNCTION handy_refresh_cert_facts(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO contractor_facts AS f (contractor_id, certifications, updated_at)
  SELECT c.id, coalesce((SELECT jsonb_agg(jsonb_build_object('type', k.type, 'expires_on', k.expires_on) ORDER BY k.type, k.expires_on)
                         FROM contractor_certifications k WHERE k.contractor_id = c.id), '[]'::jsonb), now()
  FROM contractors c WHERE c.id = ANY(ids)
  ORDER BY c.id
  ON CONFLICT (contractor_id) DO UPDATE SET certifications = excluded.certifications, updated_at = excluded.updated_at;
$$;
--> statement-breakpoint
CREATE FUNCTION handy_cert_facts_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM handy_refresh_cert_facts(ARRAY(SELECT DISTINCT contractor_id FROM new_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION handy_cert_facts_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM handy_refresh_cert_facts(ARRAY(SELECT contractor_id FROM new_rows UNION SELECT contractor_id FROM old_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION handy_cert_facts_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM handy_refresh_cert_facts(ARRAY(SELECT DISTINCT contractor_id FROM old_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contractor_certs_facts_ins AFTER INSERT ON contractor_certifications REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION handy_cert_facts_ins();
--> statement-breakpoint
CREATE TRIGGER contractor_certs_facts_upd AFTER UPDATE ON contractor_certifications REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION handy_cert_facts_upd();
--> statement-breakpoint
CREATE TRIGGER contractor_certs_facts_del AFTER DELETE ON contractor_certifications REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION handy_cert_facts_del();
--> statement-breakpoint
-- Outcomes (reliability): completed, contractor-caused cancellations, no-shows.
CREATE FUNCTION handy_outcome_delta(c uuid, status booking_status, cause cancellation_cause, sign int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d_completed int := sign * (status = 'completed')::int;
  d_cancelled int := sign * (status = 'cancelled' AND cause IS NOT DISTINCT FROM 'contractor')::int;
  d_no_show int := sign * (status = 'cancelled' AND cause IS NOT DISTINCT FROM 'no_show')::int;
BEGIN
  IF d_completed = 0 AND d_cancelled = 0 AND d_no_show = 0 THEN RETURN; END IF;
  INSERT INTO contractor_facts AS f (contractor_id, completed, contractor_cancellations, no_shows)
  VALUES (c, d_completed, d_cancelled, d_no_show)
  ON CONFLICT (contractor_id) DO UPDATE SET completed = f.completed + d_completed,
    contractor_cancellations = f.contractor_cancellations + d_cancelled, no_shows = f.no_shows + d_no_show, updated_at = now();
END $$;
--> statement-breakpoint
CREATE FUNCTION handy_booking_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM handy_outcome_delta(OLD.contractor_id, OLD.status, OLD.cancellation_cause, -1); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM handy_outcome_delta(NEW.contractor_id, NEW.status, NEW.cancellation_cause, 1); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER bookings_facts_ins AFTER INSERT ON bookings
  FOR EACH ROW WHEN (NEW.status IN ('completed', 'cancelled')) EXECUTE FUNCTION handy_booking_facts();
--> statement-breakpoint
CREATE TRIGGER bookings_facts_upd AFTER UPDATE OF status, cancellation_cause, contractor_id ON bookings
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.cancellation_cause IS DISTINCT FROM NEW.cancellation_cause
                     OR OLD.contractor_id IS DISTINCT FROM NEW.contractor_id) EXECUTE FUNCTION handy_booking_facts();
--> statement-breakpoint
CREATE TRIGGER bookings_facts_del AFTER DELETE ON bookings
  FOR EACH ROW WHEN (OLD.status IN ('completed', 'cancelled')) EXECUTE FUNCTION handy_booking_facts();
--> statement-breakpoint
-- Ratings (performance): the customer ratings of the jobs the contractor was selected for.
CREATE FUNCTION handy_rating_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.was_selected AND OLD.customer_rating IS NOT NULL THEN
    UPDATE contractor_facts SET rating_count = rating_count - 1, rating_total = rating_total - OLD.customer_rating, updated_at = now()
    WHERE contractor_id = OLD.contractor_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.was_selected AND NEW.customer_rating IS NOT NULL THEN
    INSERT INTO contractor_facts AS f (contractor_id, rating_count, rating_total) VALUES (NEW.contractor_id, 1, NEW.customer_rating)
    ON CONFLICT (contractor_id) DO UPDATE SET rating_count = f.rating_count + 1, rating_total = f.rating_total + NEW.customer_rating, updated_at = now();
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER matching_history_facts_ins AFTER INSERT ON job_matching_history
  FOR EACH ROW WHEN (NEW.was_selected AND NEW.customer_rating IS NOT NULL) EXECUTE FUNCTION handy_rating_facts();
--> statement-breakpoint
CREATE TRIGGER matching_history_facts_upd AFTER UPDATE OF was_selected, customer_rating, contractor_id ON job_matching_history
  FOR EACH ROW WHEN (OLD.was_selected IS DISTINCT FROM NEW.was_selected OR OLD.customer_rating IS DISTINCT FROM NEW.customer_rating
                     OR OLD.contractor_id IS DISTINCT FROM NEW.contractor_id) EXECUTE FUNCTION handy_rating_facts();
--> statement-breakpoint
CREATE TRIGGER matching_history_facts_del AFTER DELETE ON job_matching_history
  FOR EACH ROW WHEN (OLD.was_selected AND OLD.customer_rating IS NOT NULL) EXECUTE FUNCTION handy_rating_facts();
--> statement-breakpoint
-- The facts as they stand, from scratch (also what the tests compare the table with).
CREATE VIEW contractor_facts_from_scratch AS
SELECT c.id AS contractor_id,
  coalesce((SELECT jsonb_object_agg(s.task_id, jsonb_build_object('category', t.category, 'confidence', s.confidence, 'last_performed_at', s.last_performed_at))
            FROM contractor_skills s JOIN contractor_tasks t ON t.id = s.task_id WHERE s.contractor_id = c.id), '{}'::jsonb) AS skills,
  (SELECT count(*)::int FROM contractor_skills s WHERE s.contractor_id = c.id) AS skill_count,
  coalesce((SELECT jsonb_object_agg(category, n) FROM (SELECT t.category, count(*)::int AS n FROM contractor_skills s
              JOIN contractor_tasks t ON t.id = s.task_id WHERE s.contractor_id = c.id GROUP BY t.category) g), '{}'::jsonb) AS category_counts,
  coalesce((SELECT jsonb_agg(jsonb_build_object('type', k.type, 'expires_on', k.expires_on) ORDER BY k.type, k.expires_on)
            FROM contractor_certifications k WHERE k.contractor_id = c.id), '[]'::jsonb) AS certifications,
  (SELECT count(*)::int FROM job_matching_history h WHERE h.contractor_id = c.id AND h.was_selected AND h.customer_rating IS NOT NULL) AS rating_count,
  (SELECT coalesce(sum(h.customer_rating), 0)::int FROM job_matching_history h WHERE h.contractor_id = c.id AND h.was_selected AND h.customer_rating IS NOT NULL) AS rating_total,
  (SELECT count(*)::int FROM bookings b WHERE b.contractor_id = c.id AND b.status = 'completed') AS completed,
  (SELECT count(*)::int FROM bookings b WHERE b.contractor_id = c.id AND b.status = 'cancelled' AND b.cancellation_cause = 'contractor') AS contractor_cancellations,
  (SELECT count(*)::int FROM bookings b WHERE b.contractor_id = c.id AND b.status = 'cancelled' AND b.cancellation_cause = 'no_show') AS no_shows
FROM contractors c;
--> statement-breakpoint
INSERT INTO contractor_facts (contractor_id, skills, skill_count, category_counts, certifications, rating_count, rating_total, completed, contractor_cancellations, no_shows)
SELECT contractor_id, skills, skill_count, category_counts, certifications, rating_count, rating_total, completed, contractor_cancellations, no_shows
FROM contractor_facts_from_scratch;
