package io.siyu.wecom.simulator;

/**
 * Plays WeChat (the Mini Program server API) on a fixed port for an engine tried by hand: the engine signs members in
 * through it, and {@code GET /demo/login-code?openid=…} hands out the {@code wx.login} codes a phone would.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl wecom-bridge exec:java@wechat-demo [-Dexec.args=18091]},
 * then start the engine with the options it prints. Stop it with Ctrl-C.
 */
public final class WeChatDemo {

    static final String APP_ID = "wx-siyu-demo";
    static final String SECRET = "demo-miniapp-secret";

    private WeChatDemo() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18091;
        WeChatSimulator wechat = new WeChatSimulator(APP_ID, SECRET, port);
        System.out.println("WeChat simulator on " + wechat.baseUrl() + ". Start the engine with:");
        System.out.println("  --siyu.miniapp.app-id=" + APP_ID + " --siyu.miniapp.secret=" + SECRET
                + " --siyu.miniapp.api-base-url=" + wechat.baseUrl());
        System.out.println("A wx.login code: curl -s '" + wechat.baseUrl() + "/demo/login-code?openid=oAbC123'");
        Thread.currentThread().join();
    }
}
