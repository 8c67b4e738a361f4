/* Throwaway verification harness (NOT project code). Re-implements three public
   readings of March (1991) mutual learning to compute reference numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <stdint.h>
#define M 30
#define N 50
static uint64_t s[4];
static inline uint64_t rotl(const uint64_t x,int k){return (x<<k)|(x>>(64-k));}
static uint64_t nxt(void){const uint64_t r=rotl(s[1]*5,7)*9;const uint64_t t=s[1]<<17;s[2]^=s[0];s[3]^=s[1];s[1]^=s[2];s[0]^=s[3];s[2]^=t;s[3]=rotl(s[3],45);return r;}
static double U(void){return (nxt()>>11)*0x1.0p-53;}
static void seed(uint64_t x){for(int i=0;i<4;i++){x+=0x9e3779b97f4a7c15ULL;uint64_t z=x;z=(z^(z>>30))*0xbf58476d1ce4e5b9ULL;z=(z^(z>>27))*0x94d049bb133111ebULL;s[i]=z^(z>>31);}}
static int tri(void){return (int)(nxt()%3)-1;}
typedef struct{int r[M],c[M],b[N][M];double p1[N];} St;
static void init(St*S){for(int j=0;j<M;j++){S->r[j]=(nxt()&1)?1:-1;S->c[j]=0;}for(int i=0;i<N;i++)for(int j=0;j<M;j++)S->b[i][j]=tri();}
static int cscore(St*S){int x=0;for(int j=0;j<M;j++)x+=S->c[j]*S->r[j];return x;}
static int cprop(St*S){int x=0;for(int j=0;j<M;j++)x+=(S->c[j]==S->r[j]);return x;}
static void turn(St*S,double p3,double p4){for(int i=0;i<N;i++)if(U()<p3)for(int j=0;j<M;j++)S->b[i][j]=tri();for(int j=0;j<M;j++)if(U()<p4)S->r[j]=-S->r[j];}
/* ---- variant CW: Christensen-note / Workiewicz 2023 python ---- */
static int step_CW(St*S,double p2,int check){
  int act[N][M],perf[N];
  for(int i=0;i<N;i++){perf[i]=0;for(int j=0;j<M;j++){int a=S->b[i][j];if(!a)a=(nxt()&1)?1:-1;act[i][j]=a;perf[i]+=a*S->r[j];}}
  for(int i=0;i<N;i++)for(int j=0;j<M;j++){if(U()<S->p1[i]){int c=S->c[j],*b=&S->b[i][j];
     if(c==1){if(*b==-1)*b=0;else if(*b==0)*b=1;}else if(c==-1){if(*b==1)*b=0;else if(*b==0)*b=-1;}}}
  int cs=cscore(S),any=0,sum[M];memset(sum,0,sizeof sum);
  for(int i=0;i<N;i++)if(perf[i]>cs){any=1;for(int j=0;j<M;j++)sum[j]+=act[i][j];}
  if(any)for(int j=0;j<M;j++){int mj=(sum[j]>0)-(sum[j]<0);if(mj&&mj!=S->c[j]){int k=abs(sum[j]);if(U()>pow(1-p2,k))S->c[j]=mj;}}
  if(!check)return 0;
  int copp=0,iopp=0;for(int i=0;i<N;i++){int sc=0;for(int j=0;j<M;j++)sc+=S->b[i][j]*S->r[j]+(S->b[i][j]==0);if(sc>cs)copp=1;
    for(int j=0;j<M;j++)if(S->c[j]&&S->b[i][j]!=S->c[j])iopp=1;}
  return !(copp||iopp);
}
/* ---- variant TXT: literal reading of the paper, synchronous ---- */
static int step_TXT(St*S,double p2,int check){
  int cp=cprop(S),cp_[M],cm[M];memset(cp_,0,sizeof cp_);memset(cm,0,sizeof cm);int any=0;
  for(int i=0;i<N;i++){int k=0;for(int j=0;j<M;j++)k+=(S->b[i][j]==S->r[j]);if(k>cp){any=1;for(int j=0;j<M;j++){cp_[j]+=(S->b[i][j]==1);cm[j]+=(S->b[i][j]==-1);}}}
  int old[M];memcpy(old,S->c,sizeof old);int changed=0;
  if(any)for(int j=0;j<M;j++){int mj=(cp_[j]>cm[j])-(cp_[j]<cm[j]);if(mj&&mj!=old[j]){int k=abs(cp_[j]-cm[j]);changed=1;if(U()>pow(1-p2,k))S->c[j]=mj;}}
  int iopp=0;for(int i=0;i<N;i++)for(int j=0;j<M;j++)if(old[j]&&S->b[i][j]!=old[j]){iopp=1;if(U()<S->p1[i])S->b[i][j]=old[j];}
  if(!check)return 0;
  return !(iopp||changed); /* nothing could change this period -> absorbing (state unchanged) */
}
/* ---- variant W: Watts/Gilbert NetLogo (from BASIC via Rodan) ---- */
static int step_W(St*S,double p2,int check){
  int cs=cscore(S),bs[M];memset(bs,0,sizeof bs);
  for(int i=0;i<N;i++){int w=0;for(int j=0;j<M;j++)w+=S->b[i][j]*S->r[j];if(w>cs)for(int j=0;j<M;j++)bs[j]+=S->b[i][j];}
  for(int i=0;i<N;i++)for(int j=0;j<M;j++){int c=S->c[j],*b=&S->b[i][j];if(!c||*b==c)continue;if(U()<S->p1[i]){*b=(*b==0)?c:0;}}
  for(int j=0;j<M;j++){int k=abs(bs[j]);int sg=(bs[j]>0)-(bs[j]<0);if(!k||S->c[j]==sg)continue;int tgt=(S->c[j]==0)?sg:0;
    for(int t=0;t<k;t++)if(U()<p2){S->c[j]=tgt;break;}}
  if(!check)return 0;
  for(int i=0;i<N;i++)for(int j=0;j<M;j++)if(S->b[i][j]!=S->c[j])return 0;return 1;
}
typedef int(*stepf)(St*,double,int);
static stepf pick(char v){return v=='C'?step_CW:v=='T'?step_TXT:step_W;}
/* run to equilibrium (closed system) */
static void run_eq(char v,double p2,int maxT,double*score,double*prop,double*T){St S;init(&S);stepf f=pick(v);int t;
  double pp[N];for(int i=0;i<N;i++)pp[i]=0; (void)pp;
  extern St gtmpl; memcpy(S.p1,gtmpl.p1,sizeof S.p1);
  for(t=1;t<=maxT;t++)if(f(&S,p2,1))break;*score=cscore(&S)/(double)M;*prop=cprop(&S)/(double)M;*T=t;}
St gtmpl;
int main(int argc,char**argv){
  char v=argv[1][0];const char*exp=argv[2];int R=atoi(argv[3]);seed(12345+v);
  int maxT=(v=='W')?200:100000;
  if(!strcmp(exp,"fig1")){double P2[3]={.1,.5,.9};
    printf("variant %c fig1 R=%d: p1 p2 mean_score se_score mean_prop se_prop mean_T\n",v,R);
    for(int a=1;a<=9;a++)for(int b=0;b<3;b++){double p1=a/10.0;for(int i=0;i<N;i++)gtmpl.p1[i]=p1;
      double s1=0,s2=0,q1=0,q2=0,tt=0;for(int r=0;r<R;r++){double sc,pr,T;run_eq(v,P2[b],maxT,&sc,&pr,&T);s1+=sc;s2+=sc*sc;q1+=pr;q2+=pr*pr;tt+=T;}
      double ms=s1/R,mq=q1/R;printf("%.1f %.1f %.4f %.4f %.4f %.4f %.1f\n",p1,P2[b],ms,sqrt((s2/R-ms*ms)/R),mq,sqrt((q2/R-mq*mq)/R),tt/R);}
  } else if(!strcmp(exp,"fig2")){printf("variant %c fig2 p2=0.5 R=%d: nfast avg_p1 hetero_score se_hetero_score hetero_prop homo_score se_homo_score homo_prop mean_T_hetero\n",v,R);
    for(int f=0;f<=N;f+=5){double res[2][4]={{0}};for(int h=0;h<2;h++){double avg=0.1+0.8*f/(double)N;
      for(int i=0;i<N;i++)gtmpl.p1[i]=h==0?(i<f?0.9:0.1):avg;
      for(int r=0;r<R;r++){double sc,pr,T;run_eq(v,0.5,maxT,&sc,&pr,&T);res[h][0]+=sc;res[h][1]+=pr;res[h][2]+=sc*sc;res[h][3]+=T;}}
      double se[2];for(int h=0;h<2;h++){double m=res[h][0]/R;se[h]=sqrt((res[h][2]/R-m*m)/(R-1));}
      printf("%d %.3f %.4f %.4f %.4f %.4f %.4f %.4f %.1f\n",f,0.1+0.8*f/(double)N,res[0][0]/R,se[0],res[0][1]/R,res[1][0]/R,se[1],res[1][1]/R,res[0][3]/R);}
  } else if(!strcmp(exp,"fig3")){printf("variant %c fig3 period-20 p2=0.5 R=%d: nfast fast_prop se_fast_prop slow_prop se_slow_prop fast_score slow_score code_prop\n",v,R);
    /* se over runs of the run's group mean (group sizes are fixed, so the
       pooled mean over individuals equals the mean of the run means) */
    for(int f=0;f<=N;f+=5){double fp=0,sp=0,fs=0,ss=0,cpv=0,fq=0,sq=0;int nf=0,ns=0;stepf fn=pick(v);
      for(int r=0;r<R;r++){St S;init(&S);for(int i=0;i<N;i++)S.p1[i]=i<f?0.9:0.1;for(int t=0;t<20;t++)fn(&S,0.5,0);
        cpv+=cprop(&S)/(double)M;double rf=0,rs=0;
        for(int i=0;i<N;i++){int k=0,sc=0;for(int j=0;j<M;j++){k+=S.b[i][j]==S.r[j];sc+=S.b[i][j]*S.r[j];}
          if(i<f){fp+=k/(double)M;fs+=sc/(double)M;nf++;rf+=k/(double)M;}else{sp+=k/(double)M;ss+=sc/(double)M;ns++;rs+=k/(double)M;}}
        if(f>0){rf/=f;fq+=rf*rf;} if(f<N){rs/=N-f;sq+=rs*rs;}}
      double mf=nf?fp/nf:NAN,ms=ns?sp/ns:NAN;
      printf("%d %.4f %.4f %.4f %.4f %.4f %.4f %.4f\n",f,mf,nf?sqrt((fq/R-mf*mf)/(R-1)):NAN,ms,ns?sqrt((sq/R-ms*ms)/(R-1)):NAN,nf?fs/nf:NAN,ns?ss/ns:NAN,cpv/R);}
  } else if(!strcmp(exp,"fig4")){double P3[]={0,.01,.02,.03,.05,.1,.2,.3,.5,.7,1.0};int np=11;
    printf("variant %c fig4 period-20 code knowledge p2=0.5 R=%d: p1 p3 score prop\n",v,R);
    for(int a=0;a<2;a++){double p1=a?0.9:0.1;for(int q=0;q<np;q++){double sc=0,pr=0;stepf fn=pick(v);
      for(int r=0;r<R;r++){St S;init(&S);for(int i=0;i<N;i++)S.p1[i]=p1;for(int t=0;t<20;t++){turn(&S,P3[q],0);fn(&S,0.5,0);}sc+=cscore(&S)/(double)M;pr+=cprop(&S)/(double)M;}
      printf("%.1f %.2f %.4f %.4f\n",p1,P3[q],sc/R,pr/R);}}
  } else if(!strcmp(exp,"fig5")){int TT=200;static double sc[2][201],pr[2][201];double P3[2]={0,.1};
    for(int q=0;q<2;q++){stepf fn=pick(v);for(int r=0;r<R;r++){St S;init(&S);for(int i=0;i<N;i++)S.p1[i]=0.5;
      for(int t=1;t<=TT;t++){turn(&S,P3[q],0.02);fn(&S,0.5,0);sc[q][t]+=cscore(&S)/(double)M;pr[q][t]+=cprop(&S)/(double)M;}}}
    printf("variant %c fig5 p1=p2=0.5 p4=0.02 R=%d: t score_p3=0 prop_p3=0 score_p3=.1 prop_p3=.1\n",v,R);
    for(int t=5;t<=TT;t+=5)printf("%d %.4f %.4f %.4f %.4f\n",t,sc[0][t]/R,pr[0][t]/R,sc[1][t]/R,pr[1][t]/R);
  }
  return 0;}
