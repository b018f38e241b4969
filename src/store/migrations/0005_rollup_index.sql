-- Indexes for insight and follow-ups. Applied once; never edit: add a new migration instead.

-- A covering index for the per-customer roll-up of inbound touchpoints: read in index order, with no
-- table look-ups and no sort.
CREATE INDEX touchpoints_rollup ON touchpoints (customer_id, kind, channel, sentiment_label, at, reach, rating)
    WHERE direction = 'in';

-- Answered messages by when they were answered (the check-ins after a complaint).
CREATE INDEX touchpoints_replied ON touchpoints (replied_at) WHERE status = 'replied';

-- Negative inbound messages by time, with their topics (a topic's complaints spiking).
CREATE INDEX touchpoints_negative ON touchpoints (at, topics) WHERE direction = 'in' AND sentiment_label = 'negative';
