// Signs one template several ways with the JDK's own XML-DSig (javax.xml.crypto.dsig), so
// our verifier is tested against Java's output; run by make_samples.py, which documents it.
// Usage: java JavaSign.java KEY.p12 PASSWORD TEMPLATE.xml OUTDIR
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.ExcC14NParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

public class JavaSign {
    static final String C14N = CanonicalizationMethod.INCLUSIVE;
    static final String C14N_COMMENTS = CanonicalizationMethod.INCLUSIVE_WITH_COMMENTS;
    static final String C14N11 = "http://www.w3.org/2006/12/xml-c14n11";
    static final String EXC = CanonicalizationMethod.EXCLUSIVE;

    // name, ds prefix (empty: default namespace), SignedInfo c14n, reference c14n, PrefixList
    static final String[][] VARIANTS = {
        {"ds_c14n_comments", "ds", C14N, C14N_COMMENTS, null},
        {"default_ns_c14n", "", C14N, C14N, null},
        {"ds_c14n11", "ds", C14N11, C14N11, null},
        {"default_ns_exc_prefixlist", "", EXC, EXC, "x"},
        {"ds_exc_no_reference_c14n", "ds", EXC, null, null},
    };

    public static void main(String[] args) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new FileInputStream(args[0]), args[1].toCharArray());
        String alias = store.aliases().nextElement();
        PrivateKey key = (PrivateKey) store.getKey(alias, args[1].toCharArray());
        X509Certificate cert = (X509Certificate) store.getCertificate(alias);
        XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM");
        for (String[] variant : VARIANTS) {
            DocumentBuilderFactory builder = DocumentBuilderFactory.newInstance();
            builder.setNamespaceAware(true);
            org.w3c.dom.Document doc = builder.newDocumentBuilder().parse(new File(args[2]));
            List<Transform> transforms = new ArrayList<>();
            transforms.add(factory.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null));
            if (variant[3] != null) {
                transforms.add(factory.newTransform(variant[3], parameters(variant[3], variant[4])));
            }
            Reference reference = factory.newReference(
                "", factory.newDigestMethod(DigestMethod.SHA256, null), transforms, null, null);
            SignedInfo signedInfo = factory.newSignedInfo(
                factory.newCanonicalizationMethod(variant[2], parameters(variant[2], variant[4])),
                factory.newSignatureMethod("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", null),
                List.of(reference));
            KeyInfoFactory keyInfos = factory.getKeyInfoFactory();
            KeyInfo keyInfo = keyInfos.newKeyInfo(List.of(keyInfos.newX509Data(List.of(cert))));
            DOMSignContext context = new DOMSignContext(key, doc.getDocumentElement());
            if (!variant[1].isEmpty()) {
                context.setDefaultNamespacePrefix(variant[1]);
            }
            factory.newXMLSignature(signedInfo, keyInfo).sign(context);
            File out = new File(args[3], variant[0] + ".xml");
            TransformerFactory.newInstance().newTransformer().transform(
                new DOMSource(doc), new StreamResult(new FileOutputStream(out)));
        }
    }

    static C14NMethodParameterSpec parameters(String uri, String prefixList) {
        if (uri.equals(EXC) && prefixList != null) {
            return new ExcC14NParameterSpec(Arrays.asList(prefixList.split(" ")));
        }
        return null;
    }
}
