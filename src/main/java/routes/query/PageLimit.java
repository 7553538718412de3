package routes.query;

/** The {@code limit} query parameter of the paginated endpoints: absent means the default, else 1..max. */
public record PageLimit(int defaultLimit, int maxLimit) {

    private static final String LIMIT = "limit";

    public int parse(Object raw) {
        Long limit = RequestParameters.wholeNumber(LIMIT, raw, 1, maxLimit);
        return limit == null ? defaultLimit : limit.intValue();
    }
}
