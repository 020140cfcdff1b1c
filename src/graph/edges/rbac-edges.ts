import type { Binding } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import { inNamespace, type EdgeExtractor } from './edge-sink.js';

/** RoleBinding / ClusterRoleBinding → the role it grants, and → its subjects (ServiceAccounts, users, groups). */
export const rbacEdges: EdgeExtractor = (object, sink) => {
  if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') return;
  const binding = object as Binding;
  const from = refOf(object);
  const roleRef = binding.roleRef;
  if (roleRef?.kind !== undefined && roleRef.name !== undefined) {
    const namespace = roleRef.kind === 'Role' ? object.metadata.namespace : undefined;
    sink.link(from, { kind: roleRef.kind, ...inNamespace(namespace), name: roleRef.name }, 'grants-role');
  }
  for (const subject of binding.subjects ?? []) {
    if (subject.kind === undefined || subject.name === undefined) continue;
    if (subject.kind === 'ServiceAccount') {
      const namespace = subject.namespace ?? object.metadata.namespace;
      sink.link(
        from,
        { kind: 'ServiceAccount', ...inNamespace(namespace), name: subject.name },
        'binds-subject',
      );
    } else {
      sink.linkExternal(from, { kind: subject.kind, name: subject.name }, 'binds-subject');
    }
  }
};
