-- The notes of migration 0011 cover what Today's suggestions are made of too (cases::board): a
-- message nobody is linked to yet is noted as minus its own id, and a suggestion the owner dealt
-- with (done, dismissed, snoozed, opened again) as its customer, and a reply's also as the message's
-- customer, or minus the message (a suggestion about the whole shop is looked up each time instead).
DROP TRIGGER touchpoints_insert_noted;
DROP TRIGGER touchpoints_update_noted;
DROP TRIGGER touchpoints_delete_noted;
CREATE TRIGGER touchpoints_insert_noted AFTER INSERT ON touchpoints BEGIN INSERT INTO customer_changes (customer_id) VALUES (coalesce(NEW.customer_id, -NEW.id)); END;
CREATE TRIGGER touchpoints_update_noted AFTER UPDATE ON touchpoints BEGIN INSERT INTO customer_changes (customer_id) VALUES (coalesce(OLD.customer_id, -OLD.id)); INSERT INTO customer_changes (customer_id) SELECT coalesce(NEW.customer_id, -NEW.id) WHERE NEW.customer_id IS NOT OLD.customer_id; END;
CREATE TRIGGER touchpoints_delete_noted AFTER DELETE ON touchpoints BEGIN INSERT INTO customer_changes (customer_id) VALUES (coalesce(OLD.customer_id, -OLD.id)); END;
CREATE TRIGGER suggestions_update_noted AFTER UPDATE OF status, snoozed_until ON suggestions BEGIN
    INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL;
    INSERT INTO customer_changes (customer_id)
        SELECT coalesce((SELECT customer_id FROM touchpoints WHERE id = CAST(substr(NEW.key, 8) AS INTEGER)), -CAST(substr(NEW.key, 8) AS INTEGER))
        WHERE NEW.key LIKE 'reply:t%';
END;
CREATE TRIGGER suggestions_insert_noted AFTER INSERT ON suggestions WHEN NEW.status <> 'open' BEGIN
    INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL;
    INSERT INTO customer_changes (customer_id)
        SELECT coalesce((SELECT customer_id FROM touchpoints WHERE id = CAST(substr(NEW.key, 8) AS INTEGER)), -CAST(substr(NEW.key, 8) AS INTEGER))
        WHERE NEW.key LIKE 'reply:t%';
END;
