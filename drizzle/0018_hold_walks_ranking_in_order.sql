-- handy_hold as in 0017, walking the stored ranking in its order. 0017's cursor selected the free
-- candidates from unnest(ids) WITH ORDINALITY with no ORDER BY; once slot_claims grew, PostgreSQL
-- chose a hash anti-join that returns rows in hash order, and holds took some free contractor
-- rather than the best-scoring one (SPEC: "the system picks the best-scoring eligible contractor").
-- npm run simulate showed it: 118 % more miles than the reference instead of 26.5 %.
CREATE OR REPLACE FUNCTION handy_hold(
  p_job uuid, p_session text, p_date date, p_slot slot_name, p_now timestamptz, p_expires timestamptz,
  p_max_per_link int, p_ranking uuid, p_digest text)
RETURNS TABLE (reused boolean, id uuid, contractor_id uuid, date date, slot slot_name, kind claim_kind, job_id uuid, visit smallint,
               session_id text, expires_at timestamptz, match_score int, created_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  closed text;
  link_ok boolean;
  ids uuid[];
  scores int[];
  n_released int;
  n_live_released int;
  cand uuid;
  i int;
  got slot_claims;
BEGIN
  SELECT (SELECT bc.reason FROM business_closures bc WHERE bc.date = p_date), r.contractor_ids, r.scores,
         p_digest IS NULL OR coalesce(p_digest = handy_job_digest(p_job), false)
    INTO closed, ids, scores, link_ok FROM matching_rankings r WHERE r.id = p_ranking;
  IF NOT FOUND THEN RAISE EXCEPTION 'ranking % is gone', p_ranking USING ERRCODE = 'HC404'; END IF;
  IF NOT link_ok THEN RAISE EXCEPTION 'job % changed since its link was read', p_job USING ERRCODE = 'HC412'; END IF;
  IF closed IS NOT NULL THEN RAISE EXCEPTION '%', closed USING ERRCODE = 'HC423'; END IF;
  -- The session's lock, then the link's (lockSession, lockLink): one statement.
  PERFORM pg_advisory_xact_lock(hashtext(p_job::text || ':' || p_session)),
          CASE WHEN p_max_per_link > 0 THEN pg_advisory_xact_lock(hashtext('link:' || p_job::text)) END;
  WITH gone AS (
    DELETE FROM slot_claims s WHERE s.job_id = p_job AND s.session_id = p_session AND s.kind = 'hold'
      AND NOT (s.date = p_date AND s.slot = p_slot AND s.expires_at > p_now)
    RETURNING s.expires_at)
  SELECT count(*), count(*) FILTER (WHERE g.expires_at > p_now) INTO n_released, n_live_released FROM gone g;
  IF n_released = 0 THEN
    RETURN QUERY SELECT true, s.id, s.contractor_id, s.date, s.slot, s.kind, s.job_id, s.visit, s.session_id, s.expires_at, s.match_score, s.created_at
      FROM slot_claims s WHERE s.job_id = p_job AND s.session_id = p_session AND s.kind = 'hold' ORDER BY s.visit;
    IF FOUND THEN RETURN; END IF;
  END IF;
  IF p_max_per_link > 0 THEN
    IF n_live_released = 0 THEN
      -- Counted per session (a mixed-trade hold is one claim per visit); the oldest go first.
      WITH live AS (
        SELECT h.session_id, row_number() OVER (ORDER BY min(h.created_at), h.session_id) AS rn, count(*) OVER () AS total
        FROM slot_claims h WHERE h.job_id = p_job AND h.kind = 'hold' AND h.session_id <> p_session AND h.expires_at > p_now
        GROUP BY h.session_id)
      DELETE FROM slot_claims s USING live l
      WHERE s.job_id = p_job AND s.kind = 'hold' AND s.session_id = l.session_id AND l.rn <= l.total - (p_max_per_link - 1);
    END IF;
  END IF;
  -- The ranking's order is walked by index: a query over unnest(ids) has no order of its own (a hash
  -- anti-join returned candidates out of rank order, so holds took a free contractor, not the best).
  FOR i IN 1 .. coalesce(cardinality(ids), 0) LOOP
    cand := ids[i];
    CONTINUE WHEN EXISTS (SELECT 1 FROM slot_claims s WHERE s.contractor_id = cand AND s.date = p_date AND s.slot = p_slot
                                                      AND (s.kind = 'booking' OR s.expires_at > p_now));
    -- Another customer is claiming this contractor slot right now: try the next one rather than wait.
    CONTINUE WHEN NOT pg_try_advisory_xact_lock(hashtext('claim:' || cand::text || ':' || p_date::text || ':' || p_slot::text));
    got := NULL;
    -- The contractor is re-checked (active, profile, open jobs that date) in the claim itself; the
    -- hold refers to the stored ranking, and checkout copies its records into the history.
    FOR attempt IN 1 .. 2 LOOP
      INSERT INTO slot_claims AS s (contractor_id, date, slot, kind, job_id, visit, session_id, expires_at, match_score, ranking_id)
      SELECT cand, p_date, p_slot, 'hold', p_job, 0, p_session, p_expires, scores[i], p_ranking
      FROM contractors c WHERE c.id = cand AND c.is_active AND c.profile_completion_score >= 80
        AND (SELECT count(*) FROM bookings b WHERE b.contractor_id = cand AND b.date = p_date
               AND b.status IN ('pending_confirmation', 'confirmed', 'in_progress')) < c.max_concurrent_jobs
      ON CONFLICT DO NOTHING RETURNING s.* INTO got;
      EXIT WHEN got.id IS NOT NULL OR attempt = 2;
      -- A predicate cannot use now(): an expired hold in the way is deleted here, then the insert tried once more.
      DELETE FROM slot_claims s WHERE s.contractor_id = cand AND s.date = p_date AND s.slot = p_slot AND s.kind = 'hold' AND s.expires_at <= p_now;
      EXIT WHEN NOT FOUND;
    END LOOP;
    IF got.id IS NOT NULL THEN
      reused := false; id := got.id; contractor_id := got.contractor_id; date := got.date; slot := got.slot; kind := got.kind;
      job_id := got.job_id; visit := got.visit; session_id := got.session_id; expires_at := got.expires_at;
      match_score := got.match_score; created_at := got.created_at;
      RETURN NEXT;
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'no contractor is free for % %', p_date, p_slot USING ERRCODE = 'HC409';
END $$;
