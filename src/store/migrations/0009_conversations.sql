-- Conversations imported from the platforms' own downloads (WhatsApp, Instagram, Messenger, Google
-- reviews, email, texts). A message linked to a customer by their full name alone, not by a phone,
-- email or handle, says so, for the owner to confirm or undo. Applied once; never edit: add a new
-- migration instead.

ALTER TABLE touchpoints ADD COLUMN linked_by TEXT CHECK (linked_by IN ('name'));
