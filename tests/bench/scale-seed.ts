import { Client } from "pg";

export const SCALE = { people: 10_000, teams: 1_000, outcomes: 100_000, checkIns: 1_000_000 };
const TENANT = "c0c0c0c0-0000-4000-8000-000000000001";

/**
 * Fills PostgreSQL with a large organisation beside the demo data: 10,000 people in 1,000 teams of
 * ten, ten outcomes each, ten check-ins per outcome over the last twelve weeks. Set-based SQL, so it
 * takes seconds, not hours. Returns the id of one of the generated teams.
 */
export async function seedScale(ownerUrl: string, say: (msg: string) => void): Promise<string> {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  const t0 = Date.now();
  try {
    await db.query("BEGIN");
    await db.query(
      `INSERT INTO person (tenant_id, id, display_name, mail, user_principal_name, job_title, department, manager_id, time_zone, working_hours, synced_at)
       SELECT $1, 'scale-p-' || g, 'Scale Person ' || g, NULL, NULL, 'Analyst', 'Operations',
              CASE WHEN g % 10 = 1 THEN NULL ELSE 'scale-p-' || (g - (g - 1) % 10) END, 'UTC', NULL, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       FROM generate_series(1, $2::int) g`,
      [TENANT, SCALE.people],
    );
    await db.query(
      `INSERT INTO team (tenant_id, id, name, description, rhythm, created_at)
       SELECT $1, 'scale-t-' || g, 'Scale Team ' || g, '', 'weekly', '2026-01-01T00:00:00.000Z' FROM generate_series(1, $2::int) g`,
      [TENANT, SCALE.teams],
    );
    await db.query(
      `INSERT INTO team_membership (tenant_id, team_id, person_id, role)
       SELECT $1, 'scale-t-' || ((g - 1) / 10 + 1), 'scale-p-' || g, CASE WHEN g % 10 = 1 THEN 'lead' ELSE 'member' END FROM generate_series(1, $2::int) g`,
      [TENANT, SCALE.people],
    );
    await db.query(
      `INSERT INTO outcome (tenant_id, id, owner_id, team_id, title, metric, unit, baseline, target, current_value, deadline, if_missed, visibility, status, approach,
                            approval_state, delegate_ids, version, created_by, created_at, updated_at, agreed_at, last_check_in_at)
       SELECT $1, 'scale-o-' || g, 'scale-p-' || ((g - 1) / 10 + 1), 'scale-t-' || ((g - 1) / 100 + 1), 'Scale outcome ' || g, 'Items', 'items', 0, 100, g % 100,
              to_char(now() + ((g % 120) - 20) * interval '1 day', 'YYYY-MM-DD'), 'Re-plan', 'team',
              -- Outcomes past their deadline are closed already, as the housekeeping sweep leaves them.
              CASE WHEN g % 120 < 20 THEN (ARRAY['done','missed'])[g % 2 + 1] ELSE (ARRAY['agreed','agreed','at_risk','done','proposed'])[g % 5 + 1] END,
              '{}', 'not_required', '[]', 1, 'scale-p-' || ((g - 1) / 10 + 1),
              '2026-06-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z', '2026-06-02T00:00:00.000Z', NULL
       FROM generate_series(1, $2::int) g`,
      [TENANT, SCALE.outcomes],
    );
    await db.query(
      `INSERT INTO check_in (tenant_id, id, outcome_id, team_id, owner_id, author_id, at, status, confidence, progress, note, ideas, ideas_count, support_asked, mode)
       SELECT $1, 'scale-c-' || g, 'scale-o-' || ((g - 1) / 10 + 1), 'scale-t-' || ((g - 1) / 1000 + 1), 'scale-p-' || ((g - 1) / 100 + 1), 'scale-p-' || ((g - 1) / 100 + 1),
              to_char((now() - ((g % 10) * 8) * interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              (ARRAY['on_track','on_track','at_risk','off_track'])[g % 4 + 1], g % 5 + 1, (g % 10) * 10, 'Progress note', '[]', 0, false, 'async'
       FROM generate_series(1, $2::int) g`,
      [TENANT, SCALE.checkIns],
    );
    await db.query("COMMIT");
    await db.query("ANALYZE");
  } catch (err) {
    await db.query("ROLLBACK");
    throw err;
  } finally {
    await db.end();
  }
  say(`seeded the scale data in ${((Date.now() - t0) / 1000).toFixed(1)} s (without audit events: bulk data for measurement only)`);
  return "scale-t-500";
}
