package io.siyu.wecom.api;

import java.util.Optional;

import org.springframework.stereotype.Component;

import io.siyu.wecom.config.WeComProperties;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;
import me.chanjar.weixin.cp.bean.WxCpAgentJsapiSignature;
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
        this.service = wxCp;
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
