package routes.query;

import java.util.List;

import routes.model.ClientErrorException;

/** The {@code limit} query parameter of the paginated endpoints: absent means the default, else 1..max. */
public record PageLimit(int defaultLimit, int maxLimit) {

    public int parse(Object raw) {
        if (raw == null || raw.toString().isEmpty()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(raw.toString());
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ClientErrorException.badRequest("invalid limit",
                List.of("limit: must be a whole number from 1 to " + maxLimit + ", got '" + raw + "'"));
    }
}
