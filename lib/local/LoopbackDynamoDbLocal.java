import java.lang.reflect.Field;
import java.util.Arrays;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local as its own ServerRunner starts it, but listening on one interface: the jar has no
 * option for that and otherwise binds every interface, without authentication. Run in Java's
 * source-file mode: {@code java -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java <host> <DynamoDB Local's options>}.
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    String host = args[0];
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(Arrays.copyOfRange(args, 1, args.length));
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Object server = field.get(proxy);
    // Jetty's ServerConnector.setHost, through reflection so that only the jar itself is needed to compile.
    for (Object connector : (Object[]) server.getClass().getMethod("getConnectors").invoke(server)) {
      connector.getClass().getMethod("setHost", String.class).invoke(connector, host);
    }
    proxy.start();
  }
}
