package dev.sequencer.store.campaign;

/** Whose sequences a reply stops: the lead's own, or every lead of the same company. */
public enum StopScope {
  LEAD,
  COMPANY
}
