package io.specula.model.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class GoNetTest {
    private static String ip(String s) throws Exception {
        byte[] b = InetAddress.getByName(s).getAddress();
        return GoNet.ipString(b);
    }

    @Test
    void ipString_goForms() throws Exception {
        assertThat(ip("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(ip("2001:db8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
        assertThat(ip("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(ip("2001:0:0:1:0:0:1:1")).isEqualTo("2001::1:0:0:1:1");
        assertThat(ip("::")).isEqualTo("::");
        assertThat(ip("::1")).isEqualTo("::1");
        assertThat(ip("fe80::")).isEqualTo("fe80::");
        assertThat(ip("1:0:2:3:4:5:6:7")).isEqualTo("1:0:2:3:4:5:6:7");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 1;
        mapped[15] = 9;
        assertThat(GoNet.ipString(mapped)).isEqualTo("1.0.0.9");
    }

    @Test
    void joinHostPort_bracketsIpv6() {
        assertThat(GoNet.joinHostPort("::1", "80")).isEqualTo("[::1]:80");
        assertThat(GoNet.joinHostPort("host", "80")).isEqualTo("host:80");
    }
}
