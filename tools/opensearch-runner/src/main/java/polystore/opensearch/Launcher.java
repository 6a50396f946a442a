package polystore.opensearch;

import org.apache.logging.log4j.LogManager;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Runs codelibs' OpenSearchRunner with the stock command-line arguments, fixing the two things
 * its own main() gets wrong for us:
 * <ul>
 * <li>it only accepts HTTP ports up to 9299 and, when base+1 is taken, silently moves on to the
 * next free port; here the HTTP port is exactly {@code -baseHttpPort + 1} (the caller checks that
 * it is free first), so the stack's ports (59200, 59210) work;</li>
 * <li>it exits with status 1 and no message when the node fails to start; here the cause is
 * printed.</li>
 * </ul>
 * Everything else (bind address, discovery, disk watermarks) comes from the opensearch.yml that
 * scripts/lib/stores/opensearch-node.ts writes into {@code -confPath}.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final OpenSearchRunner runner = new OpenSearchRunner();
        runner.setMaxHttpPort(-1); // take -baseHttpPort + 1 as given, never probe for another port
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                e.printStackTrace();
            } finally {
                LogManager.shutdown(); // started with -Dlog4j.shutdownHookEnabled=false
            }
        }, "polystore-opensearch-shutdown"));
        try {
            runner.build(args);
        } catch (final Throwable t) {
            System.err.println("OpenSearch failed to start:");
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println("polystore: OpenSearch node started");
        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }
}
