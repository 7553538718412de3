package routes.drain;

/** How many more messages the batch being gathered takes; the drain claims no more than that at once. */
public interface OpenBatch {

    int room();
}
