ALTER TABLE "slot_claims" ADD COLUMN "ranking_id" uuid;--> statement-breakpoint
-- A hold keeps a reference to its stored ranking instead of a copy of its candidate records
-- (issue #16): one small row per hold, no TOASTed copy written per claim. Otherwise as 0013.
CREATE OR REPLACE FUNCTION handy_hold(
  p_job uuid, p_session text, p_date date, p_slot slot_name, p_now timestamptz, p_expires timestamptz,
  p_max_per_link int, p_candidates uuid[], p_scores int[], p_ranking uuid)
RETURNS TABLE (reused boolean, id uuid, contractor_id uuid, date date, slot slot_name, kind claim_kind, job_id uuid, visit smallint,
               session_id text, expires_at timestamptz, match_score int, created_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  n_existing int;
  n_same int;
  closed text;
  cand uuid;
  got slot_claims;
BEGIN
  SELECT bc.reason INTO closed FROM business_closures bc WHERE bc.date = p_date;
  IF FOUND THEN RAISE EXCEPTION '%', closed USING ERRCODE = 'HC423'; END IF;
  PERFORM pg_advisory_xact_lock(hashtext(p_job::text || ':' || p_session));
  SELECT count(*), count(*) FILTER (WHERE s.date = p_date AND s.slot = p_slot AND s.expires_at > p_now)
    INTO n_existing, n_same FROM slot_claims s WHERE s.job_id = p_job AND s.session_id = p_session AND s.kind = 'hold';
  IF n_existing > 0 AND n_existing = n_same THEN
    RETURN QUERY SELECT true, s.id, s.contractor_id, s.date, s.slot, s.kind, s.job_id, s.visit, s.session_id, s.expires_at, s.match_score, s.created_at
      FROM slot_claims s WHERE s.job_id = p_job AND s.session_id = p_session AND s.kind = 'hold' ORDER BY s.visit;
    RETURN;
  END IF;
  IF n_existing > 0 THEN
    DELETE FROM slot_claims s WHERE s.job_id = p_job AND s.session_id = p_session AND s.kind = 'hold';
  END IF;
  IF p_max_per_link > 0 THEN
    PERFORM 1 FROM jobs j WHERE j.id = p_job FOR NO KEY UPDATE;
    -- Counted per session (a mixed-trade hold is one claim per visit); the oldest go first.
    WITH live AS (
      SELECT h.session_id, row_number() OVER (ORDER BY min(h.created_at), h.session_id) AS rn, count(*) OVER () AS total
      FROM slot_claims h WHERE h.job_id = p_job AND h.kind = 'hold' AND h.session_id <> p_session AND h.expires_at > p_now
      GROUP BY h.session_id)
    DELETE FROM slot_claims s USING live l
    WHERE s.job_id = p_job AND s.kind = 'hold' AND s.session_id = l.session_id AND l.rn <= l.total - (p_max_per_link - 1);
  END IF;
  PERFORM 1 FROM matching_rankings r WHERE r.id = p_ranking;
  IF NOT FOUND THEN RAISE EXCEPTION 'ranking % is gone', p_ranking USING ERRCODE = 'HC404'; END IF;
  FOR i IN 1 .. coalesce(array_length(p_candidates, 1), 0) LOOP
    cand := p_candidates[i];
    CONTINUE WHEN EXISTS (SELECT 1 FROM slot_claims s WHERE s.contractor_id = cand AND s.date = p_date AND s.slot = p_slot
                                                     AND (s.kind = 'booking' OR s.expires_at > p_now));
    -- Another customer is claiming this contractor slot right now: try the next one rather than wait.
    CONTINUE WHEN NOT pg_try_advisory_xact_lock(hashtext('claim:' || cand::text || ':' || p_date::text || ':' || p_slot::text));
    CONTINUE WHEN NOT EXISTS (
      SELECT 1 FROM contractors c WHERE c.id = cand AND c.is_active AND c.profile_completion_score >= 80
        AND (SELECT count(*) FROM bookings b WHERE b.contractor_id = cand AND b.date = p_date
               AND b.status IN ('pending_confirmation', 'confirmed', 'in_progress')) < c.max_concurrent_jobs);
    got := NULL;
    -- The hold refers to the stored ranking; checkout copies its records into the history.
    INSERT INTO slot_claims AS s (contractor_id, date, slot, kind, job_id, visit, session_id, expires_at, match_score, ranking_id)
    VALUES (cand, p_date, p_slot, 'hold', p_job, 0, p_session, p_expires, p_scores[i], p_ranking)
    ON CONFLICT DO NOTHING RETURNING s.* INTO got;
    IF got.id IS NULL THEN
      -- A predicate cannot use now(): an expired hold in the way is deleted here, then the insert tried once more.
      DELETE FROM slot_claims s WHERE s.contractor_id = cand AND s.date = p_date AND s.slot = p_slot AND s.kind = 'hold' AND s.expires_at <= p_now;
      IF FOUND THEN
        INSERT INTO slot_claims AS s (contractor_id, date, slot, kind, job_id, visit, session_id, expires_at, match_score, ranking_id)
        VALUES (cand, p_date, p_slot, 'hold', p_job, 0, p_session, p_expires, p_scores[i], p_ranking)
        ON CONFLICT DO NOTHING RETURNING s.* INTO got;
      END IF;
    END IF;
    IF got.id IS NOT NULL THEN
      RETURN QUERY SELECT false, got.id, got.contractor_id, got.date, got.slot, got.kind, got.job_id, got.visit, got.session_id,
                          got.expires_at, got.match_score, got.created_at;
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'no contractor is free for % %', p_date, p_slot USING ERRCODE = 'HC409';
END $$;
