package io.siyu.engine.support;

import java.time.Clock;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.wecom.callback.CallbackCrypto;

/** WeCom's side of the callback URL for engine tests: events as WeCom writes them, sealed and posted as it does. */
public final class WeComCallbacks {

    public static final CallbackCrypto WECOM = new CallbackCrypto(EngineTest.WECOM_TOKEN, EngineTest.WECOM_KEY,
            EngineTest.WECOM_CORP);

    private final WebTestClient web;
    private final Clock clock;

    public WeComCallbacks(WebTestClient web, Clock clock) {
        this.web = web;
        this.clock = clock;
    }

    /** Seals and posts one event now, as WeCom does. */
    public WebTestClient.ResponseSpec post(String xml, String nonce) {
        String timestamp = now();
        CallbackCrypto.Sealed sealed = WECOM.seal(xml, timestamp, nonce);
        return web.post().uri("/wecom/callback?msg_signature=" + sealed.msgSignature() + "&timestamp=" + timestamp
                        + "&nonce=" + nonce).contentType(MediaType.TEXT_XML)
                .bodyValue(envelope(sealed.encrypted())).exchange();
    }

    /** Posts one event and expects WeCom's {@code success}. */
    public void deliver(String xml) {
        post(xml, "n").expectStatus().isOk().expectBody(String.class).isEqualTo("success");
    }

    public String now() {
        return String.valueOf(clock.instant().getEpochSecond());
    }

    public static String envelope(String encrypted) {
        return "<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><Encrypt><![CDATA["
                + encrypted + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
    }

    /** A {@code change_external_contact} event. */
    public static String contact(String change, String staff, String external, String state, String createTime) {
        return "<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[" + change
                + "]]></ChangeType><UserID><![CDATA[" + staff + "]]></UserID><ExternalUserID><![CDATA[" + external
                + "]]></ExternalUserID>" + (state == null ? "" : "<State><![CDATA[" + state + "]]></State>")
                + "</xml>";
    }

    /** A {@code change_external_chat} member change of one external user. */
    public static String chat(String chatId, String detail, String external, String lastVersion, String version,
                              String createTime) {
        return "<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[" + chatId + "]]></ChatId>"
                + "<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[" + detail
                + "]]></UpdateDetail><JoinScene>3</JoinScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item>"
                + external + "</Item></MemChangeList><LastMemVer>" + lastVersion + "</LastMemVer><CurMemVer>"
                + version + "</CurMemVer></xml>";
    }
}
