package io.cqrsworkers.security;

import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local profile (no authentication) listens on the loopback interface only, business and management port. */
@EmbeddedAws
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalBindingTest {

    @BeanInject
    CamelContext context;

    EmbeddedAwsClient aws;

    @Test
    void bothPortsListenOnLoopbackOnly() throws Exception {
        assertThat(context.resolvePropertyPlaceholders("{{camel.main.profile}}")).isEqualTo("local");
        assertThat(context.resolvePropertyPlaceholders("{{app.security.enabled}}")).isEqualTo("false");
        assertThat(context.resolvePropertyPlaceholders("{{camel.server.host}}")).isEqualTo("127.0.0.1");
        assertThat(context.resolvePropertyPlaceholders("{{camel.management.host}}")).isEqualTo("127.0.0.1");

        List<InetAddress> elsewhere = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList();
        for (int port : new int[] {aws.serverPort(), aws.managementPort()}) {
            connect(InetAddress.getLoopbackAddress(), port).close();
            for (InetAddress address : elsewhere) {
                assertThatThrownBy(() -> connect(address, port).close()).as(address + ":" + port)
                        .isInstanceOf(IOException.class);
            }
        }
    }

    private static Socket connect(InetAddress address, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address, port), 2000);
        return socket;
    }
}
