-- Usage events no longer check their agent row by row: the foreign key's check (a `SELECT … FOR KEY SHARE` of the
-- agent per event) cost a quarter of ingestion's INSERT inside the database. Ingestion, the one writer of usage
-- events (lib/domain/usage/ingest-usage.ts), reads the agent FOR KEY SHARE once per batch instead, so the agent
-- cannot be deleted while the batch is written; deleting an agent still deletes its usage, by this trigger.
ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_agentId_fkey";

-- Only under READ COMMITTED: a snapshot taken before the delete (REPEATABLE READ, SERIALIZABLE) would not see a batch
-- that committed while the delete waited for its lock, and would leave its events behind.
CREATE FUNCTION "acp_delete_agent_usage"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'agents are deleted under READ COMMITTED (their usage is deleted with them by this trigger)';
  END IF;
  DELETE FROM "usage_events" WHERE "agentId" = OLD."id";
  RETURN OLD;
END
$$;

CREATE TRIGGER "agents_delete_usage" AFTER DELETE ON "agents"
  FOR EACH ROW EXECUTE FUNCTION "acp_delete_agent_usage"();
