package routes.drain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import routes.model.QueueEntry;

/**
 * This instance's claimed entries in the order they lie on its processing list, oldest first, and which of them
 * have committed. Batches commit out of order (they are written in parallel); the entries of the oldest claims
 * that have all committed form a block at the tail of the processing list, which one LTRIM removes, instead of
 * one LREM per entry that scans past every batch still in flight. Entries are tracked by identity: the very
 * QueueEntry objects the claim returned, carried through the route. Anything not tracked is removed by LREM, so a
 * lost track only costs speed, never correctness (the script checks the block before it trims).
 */
final class ClaimOrder {

    private static final class Slot {
        final QueueEntry entry;
        boolean committed;

        Slot(QueueEntry entry) {
            this.entry = entry;
        }
    }

    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private final Map<QueueEntry, Slot> byEntry = new IdentityHashMap<>();

    /** Entries just claimed, in the order the claim returned them (oldest first). */
    synchronized void claimed(List<QueueEntry> entries) {
        for (QueueEntry entry : entries) {
            Slot slot = new Slot(entry);
            slots.addLast(slot);
            byEntry.put(entry, slot);
        }
    }

    /** The entry left the processing list another way (given back, or replaced by its completed text). */
    synchronized void forget(QueueEntry entry) {
        Slot slot = byEntry.remove(entry);
        if (slot != null) {
            slots.remove(slot);
        }
    }

    synchronized void clear() {
        slots.clear();
        byEntry.clear();
    }

    /**
     * Marks these entries committed. Returns the committed block now at the tail, oldest first (to trim), and
     * puts the entries it does not track into {@code untracked} (to remove one by one).
     */
    synchronized List<QueueEntry> commit(List<QueueEntry> entries, List<QueueEntry> untracked) {
        for (QueueEntry entry : entries) {
            Slot slot = byEntry.remove(entry);
            if (slot == null) {
                untracked.add(entry);
            } else {
                slot.committed = true;
            }
        }
        List<QueueEntry> block = new ArrayList<>();
        while (!slots.isEmpty() && slots.peekFirst().committed) {
            block.add(slots.pollFirst().entry);
        }
        return block;
    }

    /** The block could not be removed (Redis unreachable): it is the oldest again, to be removed with the next. */
    synchronized void restore(List<QueueEntry> block) {
        for (int i = block.size() - 1; i >= 0; i--) {
            Slot slot = new Slot(block.get(i));
            slot.committed = true;
            slots.addFirst(slot);
            byEntry.put(slot.entry, slot);
        }
    }
}
