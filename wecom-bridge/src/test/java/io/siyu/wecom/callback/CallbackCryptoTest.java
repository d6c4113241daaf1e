package io.siyu.wecom.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/** The callback crypto against WeCom's official test vector, and every way a callback can be wrong. */
class CallbackCryptoTest {

    // the known-good vector from WeCom's developer documentation (see shared/wecom-protocol.md)
    private static final String TOKEN = "QDG6eK";
    private static final String KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final String CORP = "wx5823bf96d3bd56c7";
    private static final String ECHOSTR =
            "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

    private final CallbackCrypto crypto = new CallbackCrypto(TOKEN, KEY, CORP);

    @Test
    void theOfficialVectorVerifiesAndDecrypts() throws CallbackRefused {
        assertThat(crypto.open("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", ECHOSTR))
                .isEqualTo("1616140317555161061");
    }

    @Test
    void aSealedMessageOpensAndWxJavaReadsTheSame() throws CallbackRefused {
        String xml = "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><Event><![CDATA[change_external_contact]]>"
                + "</Event><ChangeType><![CDATA[add_external_contact]]></ChangeType><State>门店-上海</State></xml>";
        CallbackCrypto.Sealed sealed = crypto.seal(xml, "1700000000", "n-1");
        assertThat(crypto.open(sealed.msgSignature(), "1700000000", "n-1", sealed.encrypted())).isEqualTo(xml);
        assertThat(new WxCryptUtil(TOKEN, KEY, CORP).decrypt(sealed.encrypted())).isEqualTo(xml);
    }

    @Test
    void aForgedSignatureIsRefused() {
        assertThatThrownBy(() -> crypto.open("0000000000000000000000000000000000000000", "1409659589", "263014780",
                ECHOSTR)).isInstanceOfSatisfying(CallbackRefused.class,
                refused -> assertThat(refused.reason()).isEqualTo(CallbackRefused.Reason.SIGNATURE));
    }

    @Test
    void aMessageForAnotherReceiveIdIsRefusedEvenWithTheRightKey() {
        CallbackCrypto.Sealed sealed = new CallbackCrypto(TOKEN, KEY, "ww-other-corp").seal("<xml/>", "1", "n");
        assertThatThrownBy(() -> crypto.open(sealed.msgSignature(), "1", "n", sealed.encrypted()))
                .isInstanceOfSatisfying(CallbackRefused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(CallbackRefused.Reason.RECEIVE_ID));
    }

    @Test
    void aMessageUnderAnotherKeyDoesNotOpen() {
        CallbackCrypto.Sealed sealed = new CallbackCrypto(TOKEN, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CORP)
                .seal("<xml/>", "1", "n");
        assertThatThrownBy(() -> crypto.open(sealed.msgSignature(), "1", "n", sealed.encrypted()))
                .isInstanceOfSatisfying(CallbackRefused.class, refused -> assertThat(refused.reason())
                        .isIn(CallbackRefused.Reason.MALFORMED, CallbackRefused.Reason.RECEIVE_ID));
    }

    @Test
    void garbageIsMalformed() {
        String garbage = "not base64 at all!";
        assertThatThrownBy(() -> crypto.open(me.chanjar.weixin.common.util.crypto.SHA1.gen(TOKEN, "1", "n", garbage),
                "1", "n", garbage)).isInstanceOfSatisfying(CallbackRefused.class,
                refused -> assertThat(refused.reason()).isEqualTo(CallbackRefused.Reason.MALFORMED));
    }
}
