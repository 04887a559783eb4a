# Certificates and kubeconfigs of the node, made fresh for every cluster. Sourced by up.sh.
pki=$NODE/pki
mkdir -p "$pki"
openssl genrsa -out "$pki/ca.key" 2048 2>/dev/null
openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=tcphealth-node-ca" -days 30 -out "$pki/ca.crt" 2>/dev/null
openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

cert() { # NAME SUBJECT USAGE [SANS]
  openssl genrsa -out "$pki/$1.key" 2048 2>/dev/null
  openssl req -new -key "$pki/$1.key" -subj "$2" -out "$pki/$1.csr" 2>/dev/null
  { echo "keyUsage=critical,digitalSignature,keyEncipherment"; echo "extendedKeyUsage=$3"
    [ -n "${4:-}" ] && echo "subjectAltName=$4"; } > "$pki/$1.ext"
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
    -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
  rm -f "$pki/$1.csr" "$pki/$1.ext"
}
cert apiserver "/CN=kube-apiserver" serverAuth \
  "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$NODE_IP,IP:$SERVICE_IP"
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
cert admin "/O=system:masters/CN=tcphealth-admin" clientAuth
cert controller-manager "/CN=system:kube-controller-manager" clientAuth
cert scheduler "/CN=system:kube-scheduler" clientAuth
cert kube-proxy "/CN=system:kube-proxy" clientAuth
cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth
cert kubelet-serving "/CN=$NODE_NAME" serverAuth "DNS:$NODE_NAME,IP:$NODE_IP"

kubeconfig() { # FILE SERVER CERT
  cat > "$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: tcphealth-node
  cluster:
    server: $2
    certificate-authority: $pki/ca.crt
users:
- name: $3
  user:
    client-certificate: $pki/$3.crt
    client-key: $pki/$3.key
contexts:
- name: tcphealth-node
  context: {cluster: tcphealth-node, user: $3}
current-context: tcphealth-node
YAML
}
for c in controller-manager scheduler kube-proxy kubelet; do
  kubeconfig "$NODE/$c.kubeconfig" "https://$NODE_IP:6443" "$c"
done
