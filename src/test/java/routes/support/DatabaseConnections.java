package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts the TCP connections this JVM holds open to PostgreSQL (port 5432), from Linux's /proc: the sockets
 * among this process's file descriptors whose remote port is 5432 and that are established.
 */
public final class DatabaseConnections {

    private static final String POSTGRES_PORT_HEX = ":1538";
    private static final String ESTABLISHED = "01";

    private DatabaseConnections() {
    }

    public static int heldByThisProcess() {
        Set<String> sockets = socketInodes();
        int count = 0;
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(path);
                for (String line : lines.subList(1, lines.size())) {
                    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[2].endsWith(POSTGRES_PORT_HEX) && f[3].equals(ESTABLISHED) && sockets.contains(f[9])) {
                        count++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return count;
    }

    private static Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor closed while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }
}
