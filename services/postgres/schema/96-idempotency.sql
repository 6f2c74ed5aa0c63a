-- Idempotency keys of profile writes (the Idempotency-Key request header). A keyed PATCH claims its
-- key in the transaction of the write it applies, so a key exists exactly when its write committed;
-- a repeat of the same request then gets the recorded response instead of a second write, and the
-- same key on another target or body is refused. Rows older than the app's IDEMPOTENCY_RETENTION_MS
-- are deleted by the write path, a bounded batch per write.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  idem_key text PRIMARY KEY,
  -- sha256 of the method, the target and the validated body: what "the same request" means.
  fingerprint text NOT NULL,
  status smallint,
  body text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created ON idempotency_keys (created_at);
