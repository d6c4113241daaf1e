package io.siyu.wecom.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.siyu.wecom.config.WeComProperties;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;
import me.chanjar.weixin.cp.bean.WxCpAgentJsapiSignature;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalGroupChatInfo;
import me.chanjar.weixin.cp.bean.external.WxCpWelcomeMsg;
import me.chanjar.weixin.cp.bean.external.msg.Text;
import me.chanjar.weixin.cp.bean.external.contact.WxCpExternalContactInfo;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;

/**
 * WeCom's REST API through WxJava, which caches the access token and fetches a new one when WeCom says it expired
 * (40014/42001). Pointed at {@code siyu.wecom.api-base-url}: WeCom's, or the simulator's in tests.
 */
@Component
public class WeComApi {

    /** WeCom's answer when the external user is no contact of the corp's staff. */
    static final int NO_RELATIONSHIP = 84061;

    private final WxCpService service;

    WeComApi(WeComProperties properties) {
        WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
        config.setCorpId(properties.corpId());
        config.setCorpSecret(properties.secret());
        config.setAgentId(properties.agentId());
        config.setBaseApiUrl(properties.apiBaseUrl());
        WxCpServiceImpl wxCp = new WxCpServiceImpl();
        wxCp.setWxCpConfigStorage(config);
        // WxJava retries WeCom's -1 (busy) itself, doubling from this pause (0.2 … 3.2 s, inside a welcome code's
        // 20 s); with no retries it would turn every error into one without its errcode. The outbox retries the
        // rate limits (45009, 45033) and 41096 with Resilience4j.
        wxCp.setRetrySleepMillis(200);
        this.service = wxCp;
    }

    /** A customer group as WeCom holds it now. */
    public record GroupChat(String chatId, String memberVersion, Map<String, Member> externalMembers) {
    }

    /** An external member of a group: how they joined and the join channel {@code state}. */
    public record Member(Integer joinScene, String state) {
    }

    /** WeCom's answer for a chat that does not exist (any more). */
    static final int NO_SUCH_CHAT = 701008;

    /** @return the group's member version and external members ({@code groupchat/get}), empty if it is gone */
    public Optional<GroupChat> groupChat(String chatId) throws WxErrorException {
        WxCpUserExternalGroupChatInfo.GroupChat chat;
        try {
            chat = service.getExternalContactService().getGroupChat(chatId, 0).getGroupChat();
        } catch (WxErrorException failure) {
            if (failure.getError() != null && failure.getError().getErrorCode() == NO_SUCH_CHAT) {
                return Optional.empty();
            }
            throw failure;
        }
        Map<String, Member> members = new LinkedHashMap<>();
        if (chat.getMemberList() != null) {
            chat.getMemberList().stream().filter(member -> member.getType() == 2).forEach(member ->
                    members.put(member.getUserId(), new Member(member.getJoinScene(), member.getState())));
        }
        return Optional.of(new GroupChat(chat.getChatId(), chat.getMemberVersion(), members));
    }

    /** Sends the welcome message for a new contact ({@code send_welcome_msg}, within 20 s of the add event). */
    public void sendWelcome(String welcomeCode, String text) throws WxErrorException {
        WxCpWelcomeMsg message = WxCpWelcomeMsg.builder().welcomeCode(welcomeCode).build();
        message.setText(new Text().setContent(text));
        service.getExternalContactService().sendWelcomeMsg(message);
    }

    /**
     * The signature a sidebar page needs for {@code wx.agentConfig} on {@code url} (agent ticket from
     * {@code ticket/get?type=agent_config}, cached by WxJava).
     */
    public WxCpAgentJsapiSignature agentConfig(String url) throws WxErrorException {
        return service.createAgentJsapiSignature(url);
    }

    /**
     * @return the WeChat unionid of an external contact, or empty when WeCom has none for them (a WeCom user, a corp
     *         not bound to an Open Platform account, or no relationship any more)
     * @throws WxErrorException when WeCom fails in another way (the caller retries)
     */
    public Optional<String> unionidOf(String externalUserId) throws WxErrorException {
        try {
            WxCpExternalContactInfo info = service.getExternalContactService().getContactDetail(externalUserId, null);
            return Optional.ofNullable(info.getExternalContact()).map(contact -> contact.getUnionId())
                    .filter(unionid -> !unionid.isBlank());
        } catch (WxErrorException failure) {
            if (failure.getError() != null && failure.getError().getErrorCode() == NO_RELATIONSHIP) {
                return Optional.empty();
            }
            throw failure;
        }
    }
}
