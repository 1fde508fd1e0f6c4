-- What furikaeri asks the store to open a new week's meeting (session.c
-- load() and create_meeting(), SQL from store_meeting.c), for sqlite3 to
-- run as the baseline. run.sh replaces @WEEK@, @SINCE@ and @MONDAY@.
SELECT id, week, facilitator, backup, budget_minutes, started_at, ended_at
  FROM meetings WHERE week = '@WEEK@';
SELECT id, week, facilitator, backup, budget_minutes, started_at, ended_at
  FROM meetings WHERE week < '@WEEK@' ORDER BY week DESC LIMIT 1;
SELECT 0, 'postmortem', p.id, p.title, p.date, p.severity_rank, 'pending', 0, 0, 0
  FROM postmortems p
  WHERE lower(COALESCE(p.status, '')) NOT IN ('draft', 'wip', '下書き', '作成中')
    AND COALESCE(p.date, substr(p.imported_at, 1, 10)) >= '@SINCE@'
    AND NOT EXISTS (SELECT 1 FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
                    WHERE a.postmortem_id = p.id AND m.week <> '@WEEK@')
  ORDER BY p.severity_rank, p.date, p.id;
SELECT 0, a.kind, p.id, a.title, p.date, COALESCE(p.severity_rank, 6), 'pending', 0, 0, 1
  FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
  LEFT JOIN postmortems p ON p.id = COALESCE(a.postmortem_id, a.pm_ref)
  WHERE a.state = 'carried'
    AND m.week = (SELECT max(week) FROM meetings WHERE week < '@WEEK@')
  ORDER BY a.pos;
SELECT me.id, me.title, me.owner, me.due, me.status,
    COALESCE(o.ticket_key, me.ticket), COALESCE(o.ticket_url, me.ticket_url),
    COALESCE(o.state, me.ticket_state),
    me.postmortem_id, p.title, me.origin, me.created_at, me.agreed_at, me.done_at
  FROM measures me LEFT JOIN postmortems p ON p.id = me.postmortem_id
  LEFT JOIN ticket_outbox o ON o.measure_id = me.id
  WHERE me.status = 'open'
    AND (me.origin = 'import' OR me.agreed_at IS NOT NULL)
    AND ((me.agreed_at IS NOT NULL AND me.agreed_at < '@MONDAY@')
         OR (me.origin = 'import' AND COALESCE(p.date, me.created_at) < '@SINCE@'))
  ORDER BY COALESCE(me.agreed_at, me.created_at), me.id;
SELECT name, role, away_until FROM people ORDER BY id;
SELECT week, facilitator, backup FROM meetings ORDER BY week;
SELECT m.id, COALESCE(m.item_id, 0), m.seq, m.kind, m.body,
    COALESCE(m.measure_id, 0), m.created_at, m.edited_at, m.deleted_at IS NOT NULL,
    me.owner, me.due, me.agreed_at IS NOT NULL,
    COALESCE(o.ticket_key, me.ticket), COALESCE(o.state, me.ticket_state)
  FROM minutes m LEFT JOIN measures me ON me.id = m.measure_id
  LEFT JOIN ticket_outbox o ON o.measure_id = m.measure_id
  WHERE m.meeting_id = (SELECT id FROM meetings WHERE week = '@WEEK@') ORDER BY m.seq;
SELECT name FROM attendees
  WHERE meeting_id = (SELECT id FROM meetings WHERE week = '@WEEK@') ORDER BY joined_at, rowid;
