-- Which customers each write touched, in order (seq): what is derived from every customer, the
-- shop's insight, is brought up to date from it by any connection of any process, instead of
-- computed afresh (cases::insight::update). Only customer ids; trimmed to its last rows
-- (Store::trim_changes), so a reader that fell further behind computes afresh. Bulk work drops these
-- triggers inside its transaction, creates them again before it commits (nobody else ever sees
-- them gone) and notes customer 0 instead: anyone may have changed.
CREATE TABLE customer_changes (
    seq         INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL
);

CREATE TRIGGER customers_insert_noted AFTER INSERT ON customers BEGIN INSERT INTO customer_changes (customer_id) SELECT NEW.id WHERE NEW.id IS NOT NULL; END;
CREATE TRIGGER customers_update_noted AFTER UPDATE ON customers BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.id WHERE OLD.id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT NEW.id WHERE NEW.id IS NOT NULL; END;
CREATE TRIGGER customers_delete_noted AFTER DELETE ON customers BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.id WHERE OLD.id IS NOT NULL; END;
CREATE TRIGGER customer_emails_insert_noted AFTER INSERT ON customer_emails BEGIN INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER customer_emails_update_noted AFTER UPDATE ON customer_emails BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER customer_emails_delete_noted AFTER DELETE ON customer_emails BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; END;
CREATE TRIGGER customer_phones_insert_noted AFTER INSERT ON customer_phones BEGIN INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER customer_phones_update_noted AFTER UPDATE ON customer_phones BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER customer_phones_delete_noted AFTER DELETE ON customer_phones BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; END;
CREATE TRIGGER customer_tags_insert_noted AFTER INSERT ON customer_tags BEGIN INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER customer_tags_update_noted AFTER UPDATE ON customer_tags BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER customer_tags_delete_noted AFTER DELETE ON customer_tags BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; END;
CREATE TRIGGER touchpoints_insert_noted AFTER INSERT ON touchpoints BEGIN INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER touchpoints_update_noted AFTER UPDATE ON touchpoints BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER touchpoints_delete_noted AFTER DELETE ON touchpoints BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; END;
CREATE TRIGGER purchases_insert_noted AFTER INSERT ON purchases BEGIN INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER purchases_update_noted AFTER UPDATE ON purchases BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT NULL; END;
CREATE TRIGGER purchases_delete_noted AFTER DELETE ON purchases BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id IS NOT NULL; END;
CREATE TRIGGER referrals_insert_noted AFTER INSERT ON referrals BEGIN INSERT INTO customer_changes (customer_id) SELECT NEW.referrer_id WHERE NEW.referrer_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT NEW.referred_id WHERE NEW.referred_id IS NOT NULL; END;
CREATE TRIGGER referrals_update_noted AFTER UPDATE ON referrals BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.referrer_id WHERE OLD.referrer_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT OLD.referred_id WHERE OLD.referred_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT NEW.referrer_id WHERE NEW.referrer_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT NEW.referred_id WHERE NEW.referred_id IS NOT NULL; END;
CREATE TRIGGER referrals_delete_noted AFTER DELETE ON referrals BEGIN INSERT INTO customer_changes (customer_id) SELECT OLD.referrer_id WHERE OLD.referrer_id IS NOT NULL; INSERT INTO customer_changes (customer_id) SELECT OLD.referred_id WHERE OLD.referred_id IS NOT NULL; END;
